from django.contrib import admin

from ulinzi.incidents.models import Actor


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin[Actor]):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)
