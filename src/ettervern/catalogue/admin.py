"""The offers catalogue in the Norwegian admin, kept by unit administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from ettervern.catalogue.models import Offer


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    exclude = ["updated_at", "version"]
    list_display = ["name", "level", "organisation", "starts_before_discharge", "active"]
    list_filter = ["level", "starts_before_discharge", "active"]
    search_fields = ["name", "description", "organisation__name"]
    ordering = ["level", "name", "id"]
    autocomplete_fields = ["organisation"]  # every organisation in the country: searched

    def get_queryset(self, request: HttpRequest) -> QuerySet[Offer]:
        return super().get_queryset(request).select_related("organisation")

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """An offer that plan measures name cannot be deleted (PROTECT). Django would list those
        measures by their text, which is patient data the administrator may not read: say how
        many there are, and what to do instead."""
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = [ngettext(
                "%(count)s measure in an individual plan names it. Retire the offer instead "
                "(untick \"active\"): plans keep it, and it is no longer offered.",
                "%(count)s measures in individual plans name it. Retire the offer instead "
                "(untick \"active\"): plans keep it, and it is no longer offered.",
                len(protected)) % {"count": len(protected)}]
        return to_delete, counts, perms_needed, protected
