"""API authentication: bearer tokens for scripts, the session (with CSRF) for the browser."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer, SessionAuth

from ulinzi.accounts.access import viewer_of
from ulinzi.accounts.models import TokenScope
from ulinzi.accounts.policy import EDITORS, RecordType, Viewer, may_read
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import clearance_of, token_for, user_for_token


class BearerToken(HttpBearer):
    openapi_description = "An API token from `ulinzi token create USERNAME`, sent as `Authorization: Bearer …`"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for(token)
        if found is None:
            return None
        request.user = found.user
        request.META[TOKEN_SCOPE] = found.scope
        return found.user


# Where the bearer token's scope is kept for the rest of the request.
TOKEN_SCOPE = "ulinzi.token_scope"  # noqa: S105  a request key, not a secret

API_AUTH: list[APIKeyCookie | HttpBearer] = [BearerToken(), SessionAuth()]


def caller_viewer(request: HttpRequest) -> Viewer:
    """The authenticated caller as the policy sees them; 403 for an account without a role."""
    viewer = viewer_of(request.user)
    if viewer.role is None:
        raise HttpError(403, "your account has no role; ask an administrator")
    return viewer


def require_reader(request: HttpRequest, record_type: RecordType, label: Sensitivity) -> Viewer:
    """The caller when the policy lets them read records of the type at that label; 403 otherwise."""
    viewer = caller_viewer(request)
    allowed = may_read(viewer, record_type, label)
    if not allowed:
        raise HttpError(403, allowed.reason)
    return viewer


def require_editor(request: HttpRequest, record_type: RecordType, refusal: str) -> Viewer:
    """The caller when the policy lets their role change ``record_type`` at all; 403 with
    ``refusal`` otherwise. Each record's own label and owner are checked where it is changed."""
    viewer = caller_viewer(request)
    if viewer.role not in EDITORS.get(record_type, frozenset()):
        raise HttpError(403, refusal)
    if request.META.get(TOKEN_SCOPE) == TokenScope.READ:
        raise HttpError(403, "this API token may only read; issue one with `ulinzi token create USERNAME --write`")
    return viewer


def bearer_user(request: HttpRequest) -> User | None:
    """The active account of the request's bearer token, if it carries a live one."""
    header = request.headers.get("Authorization", "")
    return user_for_token(header[7:].strip()) if header.lower().startswith("bearer ") else None


def _caller_is_known(request: HttpRequest) -> bool:
    user = bearer_user(request)
    if user is not None:
        request.user = user
    return clearance_of(request.user) is not None


def require_caller(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the OpenAPI document and docs page: a 401 body instead of a login redirect."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _caller_is_known(request):
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper
