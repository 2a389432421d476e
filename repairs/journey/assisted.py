"""Assisted digital: a contact-centre agent walks the public journey for a caller on the phone.

The back office turns it on with one flag in the agent's own session; the public diagnosis and report
pages stay the same pages, and only three things read the flag: the banner that tells the agent they
are reporting for a caller, the check page (no per-address limit for staff at a contact centre) and
the submit, which records the report on the phone channel with the agent as its author.

The flag alone grants nothing. Each read resolves the session's signed-in user again, as Django's
authentication middleware would (the same backend and the session's password hash), and honours the
flag only for that same user while they are still active staff, not a contractor, and (when staff
sign in with a code) still hold a confirmed code. So a flag left behind by a sign-out, a changed
password, a revoked account or a contractor's session does nothing: the report is an online one.

`backoffice.access` owns who counts as a contractor, so it is imported where it is needed, not at the
top: the repairs app does not otherwise depend on the back office.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from cms import diagnosis

from . import state

SESSION_KEY = "assisted_by"


@dataclass(frozen=True)
class _SessionOnly:
    """What `django.contrib.auth.get_user` reads from a request: its session, nothing else."""

    session: SessionBase


def may_assist(user: AbstractBaseUser) -> bool:
    """Whether this user may report for a caller: active staff who are not contractors."""
    from backoffice.access import is_contractor

    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not is_contractor(user)
    )


def begin(request: HttpRequest) -> bool:
    """Start a fresh report for a caller: forget any diagnosis or answers this session holds, then
    remember who is reporting. False (and nothing changed) if the signed-in user may not."""
    user = request.user
    if not may_assist(user):
        return False
    diagnosis.start_again(request.session)
    request.session.pop(state.SESSION_KEY, None)
    request.session.pop(state.CONFIRMED_KEY, None)
    request.session[SESSION_KEY] = user.pk
    return True


def end(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def is_on(session: SessionBase) -> bool:
    """The flag is set (cheap: reads the session only). Use `agent` to act on it."""
    return bool(session.get(SESSION_KEY))


def agent(session: SessionBase) -> AbstractBaseUser | None:
    """The member of staff this session reports for, or None for a resident's own report."""
    flagged = session.get(SESSION_KEY)
    if not flagged:
        return None
    user = auth.get_user(_SessionOnly(session))
    if not user.is_authenticated or user.pk != flagged:
        return None
    if not may_assist(user) or not _code_confirmed(session, user):
        return None
    return user


def _code_confirmed(session: SessionBase, user: AbstractBaseUser) -> bool:
    """With staff two-factor on, the session still holds a confirmed device of this user (as
    django-otp's middleware decides for `user.is_verified()`)."""
    if not getattr(settings, "STAFF_TWO_FACTOR", False):
        return True
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed
