"""The second-factor pages: verify a session with a code, or enrol an authenticator app.

Thin adaptors over ``accounts.mfa``. A session that must pass a second factor is sent here by
``SecondFactorRequiredMiddleware`` (with ``?next=`` the page it asked for) and reaches nothing
else until it has.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from ulinzi.accounts import mfa
from ulinzi.accounts.policy import Viewer
from ulinzi.web.access import viewer_required

REFUSALS = {
    mfa.Outcome.WRONG: "That code did not match. Enter the newest code your app shows.",
    mfa.Outcome.THROTTLED: "Too many wrong codes: wait, then enter the newest code your app shows.",
    mfa.Outcome.NO_DEVICE: "This set-up has expired. Add the new key below to your app and enter its code.",
}


class CodeForm(forms.Form):
    code = forms.CharField(max_length=16)

    def clean_code(self) -> str:
        digits = "".join(str(self.cleaned_data["code"]).split())
        if len(digits) != mfa.CODE_DIGITS or not (digits.isascii() and digits.isdigit()):
            raise ValidationError(f"Enter the {mfa.CODE_DIGITS} digits your authenticator app shows.")
        return digits


@require_http_methods(["GET", "POST"])
@viewer_required
def verify(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Ask for the code of the account's device; an account without one is sent to enrol."""
    if mfa.is_verified(request.user):
        return redirect(_next(request))
    if not mfa.has_confirmed_device(request.user):
        return redirect(_with_next("web:mfa-enrol", request))
    form = CodeForm(request.POST or None)
    verdict = None
    if form.is_valid():
        verdict = mfa.verify_session(request, form.cleaned_data["code"])
        if verdict.outcome is mfa.Outcome.VERIFIED:
            return redirect(_next(request))
    return _render(request, "web/mfa_verify.html", {"form": form}, verdict)


@require_http_methods(["GET", "POST"])
@viewer_required
def enrol(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Show a new key (as text, link and QR code) and confirm it with a first code."""
    if mfa.has_confirmed_device(request.user):
        if not mfa.is_verified(request.user):
            return redirect(_with_next("web:mfa-verify", request))
        return render(request, "web/mfa_enrol.html", {"devices": mfa.confirmed_devices(request.user)})
    form = CodeForm(request.POST or None)
    verdict = None
    if form.is_valid():
        verdict = mfa.confirm_enrolment(request, form.cleaned_data["code"])
        if verdict.outcome is mfa.Outcome.VERIFIED:
            return redirect(_next(request))
    context = {
        "form": form,
        "enrolment": mfa.pending_enrolment(request),
        "required": mfa.second_factor_required(viewer.role),
    }
    return _render(request, "web/mfa_enrol.html", context, verdict)


def _render(
    request: HttpRequest, template: str, context: dict[str, object], verdict: mfa.Verdict | None
) -> HttpResponse:
    refusal, status = None, 200
    if verdict is not None:
        refusal = REFUSALS.get(verdict.outcome)
        if verdict.outcome is mfa.Outcome.THROTTLED:
            status = 429
            if verdict.retry_after is not None:
                refusal = f"{refusal} Codes are taken again from {verdict.retry_after:%H:%M:%S} UTC."
    pending = not mfa.is_verified(request.user)
    context = {**context, "refusal": refusal, "next": _next(request), "second_factor_pending": pending}
    return render(request, template, context, status=status)


def _next(request: HttpRequest) -> str:
    """Where to go once done: the page first asked for, if it is on this site; else the overview."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request: HttpRequest) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next(request)})}"
