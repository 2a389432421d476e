"""Staff sign-in: lock-out after repeated wrong passwords, and a code from an authenticator app."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.workflows.factories import user_in_role

PASSWORD = "a long enough password 42"
LOCKOUT = override_settings(STAFF_LOCKOUT=True, AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
# django-otp makes each try after a wrong code wait longer (1 s, 2 s, 4 s...): off here, tested on its own.
TWO_FACTOR = override_settings(STAFF_TWO_FACTOR=True, OTP_TOTP_THROTTLE_FACTOR=0)


@pytest.fixture
def manager(db):
    user = user_in_role("Repairs managers")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client: Client, username: str, password: str):
    return client.post("/admin/login/", {"username": username, "password": password}, follow=False)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@LOCKOUT
def test_wrong_password_three_times_locks_the_account_with_a_clear_message(manager) -> None:
    client = Client()
    for _ in range(2):
        assert sign_in(client, manager.username, "wrong password").status_code == 200
    locked = sign_in(client, manager.username, "wrong password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Signing in is locked for this account" in page
    assert "wrong 3 times" in page and "30 minutes" in page
    # The right password is refused too while the lock lasts.
    again = sign_in(Client(), manager.username, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in again.client.session


@LOCKOUT
def test_a_right_password_before_the_limit_signs_in_and_clears_the_count(manager) -> None:
    client = Client()
    sign_in(client, manager.username, "wrong password")
    sign_in(client, manager.username, "wrong password")
    assert sign_in(client, manager.username, PASSWORD).status_code == 302
    for _ in range(2):
        assert sign_in(Client(), manager.username, "wrong password").status_code == 200


def test_without_the_lock_out_flag_wrong_passwords_never_lock(manager) -> None:
    client = Client()
    for _ in range(6):
        sign_in(client, manager.username, "wrong password")
    assert sign_in(client, manager.username, PASSWORD).status_code == 302


@TWO_FACTOR
def test_two_factor_on_sends_a_signed_in_user_without_an_app_to_set_one_up(manager) -> None:
    client = Client()
    assert sign_in(client, manager.username, PASSWORD).status_code == 302
    queue = client.get("/back-office/?open=yes")
    assert queue.status_code == 302
    assert queue.url.startswith("/back-office/two-factor/?next=/back-office/")
    setup = client.get(queue.url, follow=True)
    assert "Set up an authenticator app" in setup.content.decode()
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    wrong = client.post("/back-office/two-factor/set-up/", {"code": "000000", "next": "/back-office/"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302  # still held
    done = client.post("/back-office/two-factor/set-up/", {"code": code_for(device), "next": "/back-office/"})
    assert done.status_code == 302 and done.url == "/back-office/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/back-office/").status_code == 200


@TWO_FACTOR
def test_an_enrolled_user_gets_in_with_a_valid_code_and_not_with_a_wrong_one(manager) -> None:
    device = TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    client = Client()
    sign_in(client, manager.username, PASSWORD)
    assert client.get("/back-office/").url.startswith("/back-office/two-factor/")
    # An enrolled user cannot add another app before giving a code.
    assert client.get("/back-office/two-factor/set-up/").url.startswith("/back-office/two-factor/?")
    for wrong in ("123", "000000", "abcdef"):
        response = client.post("/back-office/two-factor/", {"code": wrong, "next": "/back-office/"})
        assert response.status_code == 200
        assert "govuk-error-message" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    right = client.post("/back-office/two-factor/", {"code": code_for(device), "next": "/admin/"})
    assert right.status_code == 302 and right.url == "/admin/"
    assert client.get("/back-office/").status_code == 200
    assert client.get("/admin/").status_code == 200


@TWO_FACTOR
def test_the_code_page_does_not_send_anyone_to_another_site(manager) -> None:
    device = TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    client = Client()
    sign_in(client, manager.username, PASSWORD)
    response = client.post(
        "/back-office/two-factor/", {"code": code_for(device), "next": "https://evil.test/"}
    )
    assert response.url == "/back-office/"


@override_settings(STAFF_TWO_FACTOR=True)
def test_after_a_wrong_code_the_next_try_must_wait(manager) -> None:
    device = TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    client = Client()
    sign_in(client, manager.username, PASSWORD)
    client.post("/back-office/two-factor/", {"code": "000000"})
    response = client.post("/back-office/two-factor/", {"code": code_for(device)})
    assert "Too many wrong codes in a row" in response.content.decode()
    assert client.get("/back-office/").status_code == 302


@TWO_FACTOR
def test_a_user_held_at_the_code_page_can_sign_out(manager) -> None:
    TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    client = Client()
    sign_in(client, manager.username, PASSWORD)
    page = client.get("/back-office/two-factor/").content.decode()
    assert '<form method="post" action="/admin/logout/">' in page
    client.post("/admin/logout/")
    assert "_auth_user_id" not in client.session


def test_two_factor_off_lets_a_password_alone_in(manager) -> None:
    client = Client()
    sign_in(client, manager.username, PASSWORD)
    assert client.get("/back-office/").status_code == 200
