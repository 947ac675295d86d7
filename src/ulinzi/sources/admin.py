from django.contrib import admin

from ulinzi.sources.models import ImportBatch, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ("publisher", "reference", "published_on", "reliability", "credibility")
    search_fields = ("publisher", "reference", "note")
    list_filter = ("reliability", "credibility")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ("kind", "file_name", "started_at", "rows_read", "rows_created", "rows_unchanged", "rows_rejected")
    readonly_fields = [field.name for field in ImportBatch._meta.fields]
