"""View-level access: a page is shown only to an account with a role, and gets the caller as the policy sees them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ulinzi.accounts.access import viewer_of
from ulinzi.accounts.policy import Viewer

P = ParamSpec("P")


def viewer_required(
    view: Callable[Concatenate[HttpRequest, Viewer, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """403 for an account without a role; otherwise call the view with the caller's ``Viewer``."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        viewer = viewer_of(request.user)
        if viewer.role is None:
            raise PermissionDenied("your account has no role")
        return view(request, viewer, *args, **kwargs)

    return wrapper
