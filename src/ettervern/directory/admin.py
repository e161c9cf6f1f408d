"""The directory in Django's admin: organisations, units, staff, cooperation agreements.

Patient data is never registered here. Because unit membership grants access to the pathways a
unit coordinates or treats, staff changes are guarded: nobody but a superuser may rebind a staff
record's login or HPR number (that would let one person sign in as another), nobody but a
superuser may edit their own staff record (that would let an administrator give themselves
access), and every staff change is written to the audit log.

Pickers offer only what fits: a cooperation agreement's trust is a hospital trust and its
municipality a municipality (`limit_choices_to` on the model, so model validation refuses others
too). The long lists (every organisation, every unit) are searched (`autocomplete_fields`), with
labels that tell namesakes apart (the models' __str__).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.policy import Basis, actor_from_request
from ettervern.directory.models import CooperationAgreement, Organisation, Staff, Unit

admin.site.site_header = _("Ettervern administration")
admin.site.site_title = _("Ettervern administration")
admin.site.index_title = _("Administration")


class DirectoryAdmin(admin.ModelAdmin):
    exclude = ["updated_at", "version"]


@admin.register(Organisation)
class OrganisationAdmin(DirectoryAdmin):
    list_display = ["name", "kind", "org_number", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "org_number"]
    ordering = ["name", "id"]  # namesakes keep their places between pages
    autocomplete_fields = ["parent"]


@admin.register(Unit)
class UnitAdmin(DirectoryAdmin):
    list_display = ["name", "kind", "organisation", "municipality_name"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality_name", "organisation__name", "organisation__org_number"]
    list_select_related = ["organisation"]
    ordering = ["name", "id"]
    autocomplete_fields = ["organisation"]  # any kind of organisation has units

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        # The autocomplete labels a unit with its organisation: one query, not one per unit.
        return super().get_queryset(request).select_related("organisation")


@admin.register(Staff)
class StaffAdmin(DirectoryAdmin):
    list_display = ["name", "profession", "hpr_number"]
    list_filter = ["profession"]
    search_fields = ["name", "hpr_number", "user__username"]
    ordering = ["name", "id"]
    autocomplete_fields = ["units"]

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
    list_select_related = ["trust", "municipality"]
    search_fields = ["trust__name", "municipality__name"]
    # The model's limit_choices_to offers hospital trusts (some twenty) and municipalities
    # (at most 357): short enough for a plain, accessible select.
