"""The checklist's item types in the Norwegian admin: a region adds, orders and retires the
things to clarify before admission. Items on pathways are patient data and never shown here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ettervern.planning.checklist.models import ChecklistItemType


@admin.register(ChecklistItemType)
class ChecklistItemTypeAdmin(admin.ModelAdmin):
    exclude = ["updated_at", "version"]
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    search_fields = ["name", "name_en", "key"]
    ordering = ["order", "id"]
    prepopulated_fields = {"key": ["name_en"]}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Items on pathways refer to their type: retire a type (not active) instead.
        return False
