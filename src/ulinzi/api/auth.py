"""API authentication: bearer tokens for scripts, the session (with CSRF) for the browser."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer, SessionAuth

from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import clearance_of, role_of, user_for_token


class BearerToken(HttpBearer):
    openapi_description = "An API token from `ulinzi token create USERNAME`, sent as `Authorization: Bearer …`"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


API_AUTH: list[APIKeyCookie | HttpBearer] = [BearerToken(), SessionAuth()]


def caller_clearance(request: HttpRequest) -> Sensitivity:
    """The authenticated caller's clearance; 403 for an account without a role."""
    clearance = clearance_of(request.user)
    if clearance is None:
        raise HttpError(403, "your account has no role; ask an administrator")
    return clearance


def require_role(request: HttpRequest, roles: frozenset[Role], refusal: str) -> Sensitivity:
    """The caller's clearance when their role is among ``roles`` (who may write, say); 403 with
    ``refusal`` otherwise, and 403 as ``caller_clearance`` gives for an account without a role."""
    clearance = caller_clearance(request)
    if role_of(request.user) not in roles:
        raise HttpError(403, refusal)
    return clearance


def _caller_is_known(request: HttpRequest) -> bool:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
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
