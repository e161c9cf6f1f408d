"""The offers catalogue in the Norwegian admin, kept by unit administrators."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

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
