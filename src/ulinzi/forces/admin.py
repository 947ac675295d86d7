"""Data entry for the force registry; strength itself is derived and has no form."""

from django.contrib import admin

from ulinzi.accounts.admin_site import PolicyAdmin
from ulinzi.accounts.policy import RecordType
from ulinzi.forces.models import Authorisation, Contingent, Contributor, Movement, MovementReport, Pledge


class MovementReportInline(admin.StackedInline[MovementReport, Movement]):
    model = MovementReport
    extra = 0
    filter_horizontal = ("sources",)
    exclude = ("natural_key", "batch")


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin[Contributor]):
    list_display = ("name", "iso2", "iso3")
    search_fields = ("name", "iso2", "iso3")


@admin.register(Contingent)
class ContingentAdmin(PolicyAdmin[Contingent]):
    record_type = RecordType.CONTINGENT
    list_display = ("name", "contributor", "role", "sensitivity")
    list_filter = ("role", "contributor")


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin[Movement]):
    list_display = ("date", "contributor", "kind", "date_precision", "contingent")
    list_filter = ("kind", "contributor")
    date_hierarchy = "date"
    inlines = [MovementReportInline]
    exclude = ("natural_key",)


@admin.register(Pledge)
class PledgeAdmin(PolicyAdmin[Pledge]):
    record_type = RecordType.PLEDGE
    list_display = ("date", "contributor", "personnel", "confidence", "sensitivity")
    list_filter = ("contributor",)
    filter_horizontal = ("sources",)
    exclude = ("natural_key", "batch")


@admin.register(Authorisation)
class AuthorisationAdmin(PolicyAdmin[Authorisation]):
    record_type = RecordType.AUTHORISATION
    list_display = ("date", "instrument", "ceiling", "confidence")
    filter_horizontal = ("sources",)
    exclude = ("natural_key", "batch")
