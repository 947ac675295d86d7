"""Documents and candidates in the admin, under the policy like every labelled record.

Documents arrive through ``ulinzi intake add`` and are never edited: candidates' spans index into
their text, so the admin shows them read-only and only their label and owner can change.
"""

from django.contrib import admin
from django.http import HttpRequest

from ulinzi.accounts.admin_site import PolicyAdmin
from ulinzi.accounts.policy import RecordType
from ulinzi.intake.models import Candidate, Document


@admin.register(Document)
class DocumentAdmin(PolicyAdmin[Document]):
    record_type = RecordType.DOCUMENT
    list_display = ("title", "publisher", "published", "language", "sensitivity", "owner", "ingested_at")
    list_filter = ("sensitivity", "language", "published_from")
    search_fields = ("title", "publisher", "url", "content_sha256")  # never the text: it is encrypted
    date_hierarchy = "ingested_at"
    readonly_fields = (
        "title", "text", "publisher", "url", "language", "published", "published_from", "content_sha256",
        "source", "batch", "ingested_by", "ingested_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Candidate)
class CandidateAdmin(PolicyAdmin[Candidate]):
    record_type = RecordType.CANDIDATE
    list_display = ("id", "kind", "status", "confidence", "document", "sensitivity", "owner")
    list_filter = ("status", "kind", "sensitivity")
    list_select_related = ("document",)
    readonly_fields = ("document", "kind", "record", "confidence", "outcome_type", "outcome_id", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
