"""View-level access: a page is shown only to an account with a role, and gets its clearance."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import clearance_of

P = ParamSpec("P")


def clearance_required(
    view: Callable[Concatenate[HttpRequest, Sensitivity, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """403 for an account without a role; otherwise call the view with the caller's clearance."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        clearance = clearance_of(request.user)
        if clearance is None:
            raise PermissionDenied("your account has no role")
        return view(request, clearance, *args, **kwargs)

    return wrapper
