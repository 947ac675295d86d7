"""Admin for corrections: actors with their aliases and coalitions, and events."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from ulinzi.accounts.admin_site import PolicyAdmin
from ulinzi.accounts.policy import RecordType
from ulinzi.incidents.corrections import set_verification, split_report
from ulinzi.incidents.models import Actor, ActorAlias, CoalitionMembership, Event, EventChange, EventReport


class AliasInline(admin.TabularInline[ActorAlias, Actor]):
    model = ActorAlias
    extra = 1
    fields = ("name", "language")


class MembershipInline(admin.TabularInline[CoalitionMembership, Actor]):
    model = CoalitionMembership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ("coalition",)
    fields = ("coalition", "valid_from", "valid_to", "source", "notes")


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin[Actor]):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "aliases__name")
    inlines = (AliasInline, MembershipInline)


@admin.register(Event)
class EventAdmin(PolicyAdmin[Event]):
    record_type = RecordType.EVENT
    list_display = ("event_date", "event_type", "sub_event_type", "actor1", "location", "fatalities", "verification")
    list_filter = ("event_type", "verification", "sensitivity", "geo_precision")
    search_fields = ("natural_key", "location", "actor1__name", "actor2__name")  # notes are encrypted
    date_hierarchy = "event_date"
    autocomplete_fields = ("actor1", "actor2")
    raw_id_fields = ("sources",)
    readonly_fields = (
        "natural_key", "batch", "h3_cell", "adm1_pcode", "adm2_pcode", "adm3_pcode", "verified_by", "verified_at",
    )  # fmt: skip
    list_select_related = ("actor1",)

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        """A verification change made here is recorded with who and when, as through the API."""
        state = obj.verification
        if change and "verification" in form.changed_data:
            obj.verification = form.initial.get("verification", state)
            super().save_model(request, obj, form, change)
            set_verification(obj, state, request.user if isinstance(request.user, User) else None, "in the admin")
            return
        super().save_model(request, obj, form, change)


@admin.register(EventReport)
class EventReportAdmin(admin.ModelAdmin[EventReport]):
    """Merged rows; the split action rebuilds each selected one as its own event."""

    list_display = ("natural_key", "event", "dataset", "fatalities", "match_reason", "merged_at")
    list_filter = ("dataset",)
    search_fields = ("natural_key", "event__natural_key")
    readonly_fields = ("event", "natural_key", "dataset", "record", "match_reason", "fatalities", "batch")
    actions = ("split",)

    @admin.action(description="Split into its own event (undo a wrong merge)")
    def split(self, request: HttpRequest, queryset: QuerySet[EventReport]) -> None:
        user = request.user if isinstance(request.user, User) else None
        count = 0
        for report in queryset.select_related("event"):
            split_report(report, user)
            count += 1
        self.message_user(request, f"{count} report(s) split into their own events")


@admin.register(EventChange)
class EventChangeAdmin(admin.ModelAdmin[EventChange]):
    list_display = ("at", "event", "action", "by", "detail")
    list_filter = ("action",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EventChange | None = None) -> bool:
        return False
