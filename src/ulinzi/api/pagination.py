"""Pagination with hard bounds, and the audit of what each page shows.

A huge ``limit`` or ``offset`` is a 422, never a database error. Every page that holds records
labelled confidential or above is recorded in the audit log (one entry with their ids), as a
detail read is: a list is a read too.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from ulinzi.audit.services import record_list_read

MAX_PAGE = 500
MAX_OFFSET = 10_000_000


class BoundedPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE, description=f"items per page, at most {MAX_PAGE}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page[self.items_attribute])
        record_list_read(request, items, request.path)
        return {**page, self.items_attribute: items}
