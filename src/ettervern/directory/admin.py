"""The directory in Django's admin: organisations, units, staff, cooperation agreements.

Patient data is never registered here. Because unit membership grants access to the pathways a
unit coordinates or treats, staff changes are guarded: nobody but a superuser may rebind a staff
record's login or HPR number (that would let one person sign in as another), nobody but a
superuser may edit their own staff record (that would let an administrator give themselves
access), and every staff change is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ettervern.access import audit
from ettervern.access.policy import Basis, actor_from_request
from ettervern.directory.models import CooperationAgreement, Organisation, Staff, Unit


class DirectoryAdmin(admin.ModelAdmin):
    exclude = ["updated_at", "version"]


@admin.register(Organisation)
class OrganisationAdmin(DirectoryAdmin):
    list_display = ["name", "kind", "org_number", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "org_number"]


@admin.register(Unit)
class UnitAdmin(DirectoryAdmin):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["organisation"]


@admin.register(Staff)
class StaffAdmin(DirectoryAdmin):
    list_display = ["name", "profession", "hpr_number"]
    search_fields = ["name", "hpr_number"]
    filter_horizontal = ["units"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return []
        if obj is None:
            return []  # a new staff record is bound to its login once, here
        if obj.user_id == request.user.pk:
            return ["user", "name", "hpr_number", "profession", "units"]
        return ["user", "hpr_number"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        staff = form.instance
        units = ", ".join(sorted(unit.name for unit in staff.units.all()))
        audit.record(actor_from_request(request, "web"),
                     action="directory.staff." + ("change" if change else "add"),
                     patient_id=None, obj=staff,
                     basis=Basis("admin", f"units: {units}"[:180]))


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(DirectoryAdmin):
    list_display = ["trust", "municipality", "valid_from", "valid_to"]
