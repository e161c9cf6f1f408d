"""The standard tasks are data, kept in the admin by superusers only. Tasks themselves hold
patient data and are not in the admin: every read and write of them goes through the access
policy (services and selectors)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ettervern.tasks.models import StandardTask


@admin.register(StandardTask)
class StandardTaskAdmin(admin.ModelAdmin):
    list_display = ("title_nb", "transition", "whom", "working_days", "checkpoint", "active")
    list_filter = ("transition", "whom", "active")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Retired by unticking "active": the tasks made from a row name it.
        return False
