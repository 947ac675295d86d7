"""The Django admin under the policy: only administrators enter, and every list it shows of a
labelled record type is filtered by the same rule as every other path."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from ulinzi.accounts.access import readable, viewer_of
from ulinzi.accounts.policy import RecordType, may_administer

M = TypeVar("M", bound=Model)


class UlinziAdminSite(admin.AdminSite):
    site_header = "Ulinzi administration"
    site_title = "Ulinzi"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(super().has_permission(request) and may_administer(viewer_of(request.user)))


class PolicyAdmin(admin.ModelAdmin[M]):
    """A model admin whose lists and change pages hold only what the policy lets the caller read."""

    record_type: ClassVar[RecordType]

    def get_queryset(self, request: HttpRequest) -> QuerySet[M]:
        return readable(super().get_queryset(request), viewer_of(request.user), self.record_type)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        assert isinstance(getattr(cls, "record_type", None), RecordType), f"{cls.__name__} names no record_type"
