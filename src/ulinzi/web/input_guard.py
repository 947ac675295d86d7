"""Refuse text that no store can keep: a NUL character in an API query parameter.

PostgreSQL's text type cannot hold U+0000, so such input reaching a query or a write would end
in a server error on one database and not the other; importers already refuse it per cell, pages
validate through Django forms and API bodies through their schemas (``NO_NUL`` patterns), which
refuse it with a 422 naming the field. This middleware answers a signed-in caller's API query
parameter carrying one with a 400 that names the parameter. An anonymous caller's
request goes on unchecked, to be refused as every anonymous request is (401), so validation
never answers before authentication.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, JsonResponse

from ulinzi.api.auth import bearer_user

NUL = "\x00"


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The query string is scanned first: only a request that holds a NUL costs a token look-up.
        where = self._nul_in(request) if request.path_info.startswith("/api/") else None
        if where is not None and self._signed_in(request):
            detail = f"{where} holds a NUL character (U+0000), which Ulinzi does not accept in text"
            return JsonResponse({"detail": detail}, status=400)
        return self.get_response(request)

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        return request.user.is_authenticated or bearer_user(request) is not None

    @staticmethod
    def _nul_in(request: HttpRequest) -> str | None:
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return f"query parameter {name.replace(NUL, '?')!r}"
        return None
