"""Login is required for every page; the API answers 401 itself instead of redirecting.

A signed-in session also has limits the server checks on every request: its lifetime, its idle
time, and (for the accounts that need one) a second factor before anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import reverse

from ulinzi.accounts import mfa, session_limits

API_PREFIX = "/api/"
# What a session may reach before it has passed its second factor.
OPEN_BEFORE_SECOND_FACTOR = frozenset({"web:mfa-verify", "web:mfa-enrol", "web:logout"})


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Django's login-by-default, minus ``/api/`` whose routers authenticate every operation."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if _is_api(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionLimitsMiddleware:
    """Ends a signed-in session past its lifetime, idle too long, or whose second-factor device
    was removed, then stamps each request it serves on the session (``accounts.session_limits``).

    An ended session is logged out and the request goes on as anonymous: a page is sent to the
    log-in form, an API call without a bearer token gets a 401 that says why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if SESSION_KEY in request.session:
            reason = session_limits.session_ended_because(request)
            if reason is None and mfa.session_lost_its_device(request):
                reason = "the second-factor device that verified it was removed"
            if reason is not None:
                logout(request)
                if _is_api(request) and "Authorization" not in request.headers:
                    return JsonResponse({"detail": f"Your session has ended: {reason}. Log in again."}, status=401)
        with session_limits.watching_reads() as shown:
            response = self.get_response(request)
        if SESSION_KEY in request.session:
            session_limits.note_activity(request.session, shown)
        return response


class SecondFactorRequiredMiddleware:
    """Until a session that needs a second factor has passed it, it reaches only the pages that
    ask for the code, enrol a device or log out; the API refuses it with a 401 that says why.

    An API call that also carries a bearer token is served as that token's account alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not mfa.must_pass_second_factor(request.user):
            return None
        verification = reverse("web:mfa-verify")
        if not _is_api(request):
            return redirect_to_login(request.get_full_path(), verification)
        if "Authorization" in request.headers:
            request.user = AnonymousUser()
            return None
        detail = (
            f"This session has not passed its second factor: enter the code from your authenticator "
            f"app at {verification} first. Scripts use an API token (Authorization: Bearer …) instead."
        )
        return JsonResponse({"detail": detail}, status=401)


class NoStoreForSignedInMiddleware:
    """Pages and API answers for a signed-in caller may hold confidential figures: no caches keep them.

    Static files (served before this by WhiteNoise) stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.user.is_authenticated or "Authorization" in request.headers:
            response["Cache-Control"] = "private, no-store"
        return response
