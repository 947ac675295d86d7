"""View-level access: a page is shown only to an account with a role; its clearance rides along."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ulinzi.accounts.services import clearance_of, role_of


def clearance_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        clearance = clearance_of(request.user)
        if clearance is None:
            raise PermissionDenied("your account has no role")
        request.clearance = clearance  # type: ignore[attr-defined]
        request.role = role_of(request.user)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
