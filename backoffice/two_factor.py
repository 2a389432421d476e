"""Staff sign-in: a password (the Wagtail admin's login), then a code from an authenticator app.

django-otp keeps the devices and checks the codes; this module adds what it leaves to the project: a
middleware that holds a signed-in staff user at the code page until the session is verified, and the two
pages (set up an app, enter a code). On when `STAFF_TWO_FACTOR` is (the default when DEBUG is off). It
also words django-axes' lock-out page, shown after too many wrong passwords (`STAFF_LOCKOUT`).
"""

from __future__ import annotations

import base64

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

# Staff pages: the admin, the back office and reports. The public site and the APIs are not held.
GUARDED_PREFIXES = ("/admin/", "/django-admin/", "/back-office/", "/reports/")
# Signing in and out, and the code pages themselves, stay open to a signed-in user without a code.
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/back-office/two-factor/")


def two_factor_required(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        settings.STAFF_TWO_FACTOR
        and user is not None
        and user.is_authenticated
        and user.is_staff
        and not user.is_verified()
    )


class RequireTwoFactorMiddleware:
    """Sends a staff user whose session has no confirmed code to set up an app or to enter a code."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if (
            path.startswith(GUARDED_PREFIXES)
            and not path.startswith(OPEN_PATHS)
            and two_factor_required(request)
        ):
            return redirect(f"{reverse('backoffice:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 numbers your app shows now, for example 123456.",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Enter the 6-number code from your authenticator app."},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the code as 6 numbers, for example 123456.")
        return code


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("backoffice:queue")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return reverse("backoffice:queue")
    return target


def _refusal(user, *, setting_up: bool = False) -> str:
    """Why a code was refused: wrong, or too many wrong codes in a row (django-otp waits longer each time)."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=not setting_up)
    if any(not device.verify_is_allowed()[0] for device in devices):
        return "Too many wrong codes in a row. Wait a minute, then enter the code your app shows then."
    if setting_up:
        return "That code is not right. Check the key was typed in full and try the new code."
    return "That code is not right. Check the time on your phone is right and try the new code."


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter a code; a user with no confirmed app is sent to set one up first."""
    if not user_has_device(request.user, confirmed=True):
        return redirect(f"{reverse('backoffice:two_factor_setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _refusal(request.user))
    return render(request, "backoffice/account/two_factor.html", {"form": form, "next": _next(request)})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: show its key, and confirm it with the first code it gives."""
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect(f"{reverse('backoffice:two_factor')}?next={_next(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _refusal(request.user, setting_up=True))
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "backoffice/account/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "config_url": device.config_url,
        },
    )


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked username: what happened, for how long, and who can unlock it."""
    return render(
        request,
        "backoffice/account/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
        },
        status=429,
    )
