"""Delivery receipts from Notify: checked against the bearer token, matched by id or reference, and
permanent failures listed for staff to phone."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from notifications.models import Message, MessageStatus, Trigger
from notifications.selectors import unreachable_messages
from tests.notifications.conftest import home_job_with_reporter, make_rule
from workflows.services import record_event

pytestmark = pytest.mark.usefixtures("no_default_rules", "recording_settings")

TOKEN = "a-long-random-callback-token-set-in-notify"


@pytest.fixture
def sent_message(settings, django_capture_on_commit_callbacks) -> Message:
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    make_rule(trigger=Trigger.EVENT, event="appointment_booked", state="")
    job, _ = home_job_with_reporter()
    with django_capture_on_commit_callbacks(execute=True):
        record_event(job, "appointment_booked", public=True)
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT
    return message


def post_receipt(client, payload, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(
        reverse("notifications:delivery_receipt"),
        data=json.dumps(payload),
        content_type="application/json",
        headers=headers,
    )


def receipt(message: Message, status: str, **overrides) -> dict:
    payload = {
        "id": message.notify_id,
        "reference": message.reference,
        "to": message.recipient,
        "status": status,
        "created_at": "2026-03-03T10:00:00.000000Z",
        "completed_at": "2026-03-03T10:00:05.000000Z",
        "sent_at": "2026-03-03T10:00:01.000000Z",
        "notification_type": message.channel,
        "template_id": message.template_id,
        "template_version": 1,
    }
    payload.update(overrides)
    return payload


@pytest.mark.parametrize("token", [None, "wrong-token", TOKEN + "x", ""])
def test_a_receipt_without_the_right_bearer_token_is_refused(client, sent_message, token):
    response = post_receipt(client, receipt(sent_message, "permanent-failure"), token=token)

    assert response.status_code == 401
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.SENT


def test_no_token_configured_refuses_every_receipt(client, sent_message, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    assert post_receipt(client, receipt(sent_message, "delivered"), token="").status_code == 401


def test_a_delivered_receipt_is_matched_by_notify_id(client, sent_message):
    response = post_receipt(client, receipt(sent_message, "delivered", reference=None))

    assert response.status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.DELIVERED
    assert sent_message.status_at.isoformat().startswith("2026-03-03T10:00:05")
    assert not unreachable_messages(sent_message.job).exists()


def test_a_permanent_failure_found_by_reference_is_listed_for_staff_to_phone(
    client, sent_message, admin_client
):
    payload = receipt(sent_message, "permanent-failure", id="5f8a2d34-0000-4000-8000-000000000000")
    Message.objects.filter(pk=sent_message.pk).update(notify_id="")

    assert post_receipt(client, payload).status_code == 200
    # Notify retries a callback; applying it twice changes nothing more.
    assert post_receipt(client, payload).status_code == 200

    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.PERMANENT_FAILURE
    assert sent_message.notify_id == payload["id"]
    assert list(unreachable_messages(sent_message.job)) == [sent_message]
    page = admin_client.get(reverse("notifications_unreachable:index"))
    assert page.status_code == 200
    assert sent_message.recipient in page.content.decode()


def test_a_receipt_for_a_message_we_do_not_know_is_acknowledged(client, sent_message):
    response = post_receipt(client, receipt(sent_message, "delivered", id="unknown", reference="elsewhere"))

    assert response.status_code == 200
    assert response.json() == {"result": "unknown message"}


def test_a_receipt_that_is_not_json_or_has_no_status_is_a_bad_request(client, sent_message):
    bad_json = client.post(
        reverse("notifications:delivery_receipt"),
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert bad_json.status_code == 400
    assert post_receipt(client, {"id": sent_message.notify_id}).status_code == 400
    assert client.get(reverse("notifications:delivery_receipt")).status_code == 405
