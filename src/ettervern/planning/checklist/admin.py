"""The checklist's item types in the Norwegian admin: a region adds, orders and retires the
things to clarify before admission. Items on pathways are patient data and never shown here."""

from __future__ import annotations

from django.contrib import admin

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

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Items on pathways refer to their type: retire a type (not active) instead.
        return False
