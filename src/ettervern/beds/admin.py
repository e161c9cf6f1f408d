"""The target groups of user-controlled bed programmes: a national list, kept in the admin by
those who keep national lists (not a trust's unit administrators). The programmes themselves
are kept on the unit's own page (beds/views.py), where the rules live."""

from __future__ import annotations

from django.contrib import admin

from ettervern.beds.models import TargetGroup


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    ordering = ["order", "name"]
    search_fields = ["name", "code"]
