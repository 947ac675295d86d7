"""Admin for corrections: actors with their aliases and coalitions, and events."""

from django.contrib import admin

from ulinzi.incidents.models import Actor, ActorAlias, CoalitionMembership, Event


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
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ("event_date", "event_type", "sub_event_type", "actor1", "location", "fatalities", "verification")
    list_filter = ("event_type", "verification", "sensitivity", "geo_precision")
    search_fields = ("natural_key", "location", "notes", "actor1__name", "actor2__name")
    date_hierarchy = "event_date"
    autocomplete_fields = ("actor1", "actor2")
    raw_id_fields = ("sources",)
    readonly_fields = ("natural_key", "batch", "h3_cell", "adm1_pcode", "adm2_pcode", "adm3_pcode", "verified_by")
    list_select_related = ("actor1",)
