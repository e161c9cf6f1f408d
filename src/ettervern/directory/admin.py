from django.contrib import admin

from ettervern.directory.models import CooperationAgreement, Organisation, Staff, Unit


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_number", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "org_number"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["organisation"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "profession", "hpr_number"]
    search_fields = ["name", "hpr_number"]
    filter_horizontal = ["units"]


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(admin.ModelAdmin):
    list_display = ["trust", "municipality", "valid_from", "valid_to"]
