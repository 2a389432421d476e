"""Sending through the real Notify client against the local fake: success, retries, give-ups, look-ups."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from notifications.models import Channel, Message, MessageStatus, Trigger
from notifications.outbox import enqueue
from notifications.sending import deliver_message
from repairs.models import UpdatePreference
from tests.notifications.conftest import EMAIL_TEMPLATE, SMS_TEMPLATE, home_job_with_reporter, make_rule
from workflows.services import record_event

pytestmark = pytest.mark.usefixtures("no_default_rules", "notify_settings")

HOSTILE = "Tap leaks [click here](https://evil.example/pay) **now** visit www.evil.example or evil.co.uk/x #1"


def queued_message(**report) -> Message:
    make_rule(
        trigger=Trigger.EVENT,
        event="appointment_booked",
        state="",
        personalisation="reference, repair, appointment",
    )
    job, _ = home_job_with_reporter(**report)
    job.description = HOSTILE
    job.save()
    record_event(job, "appointment_booked", public=True, public_note="Tuesday 4 March, 8am to 12pm")
    return Message.objects.get()


def test_an_email_reaches_notify_with_its_reference_and_resident_text_marked_for_sanitising(fake_notify):
    message = queued_message()

    assert deliver_message(message.pk).result == "sent"

    [sent] = fake_notify.accepted
    assert sent["type"] == "email"
    assert sent["recipient"] == "sam@example.invalid"
    assert sent["template_id"] == EMAIL_TEMPLATE
    assert sent["reference"] == message.reference
    assert sent["personalisation"]["appointment"] == "Tuesday 4 March, 8am to 12pm"
    assert sent["sanitise_content_for"] == ["repair"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.notify_id == sent["id"]
    assert message.backend == "govuk_notify"


def test_a_text_message_carries_resident_text_with_no_links_or_markup(fake_notify):
    message = queued_message(contact_phone="07700900123", update_preference=UpdatePreference.SMS)
    assert message.channel == Channel.SMS

    deliver_message(message.pk)

    [sent] = fake_notify.accepted
    assert sent["template_id"] == SMS_TEMPLATE
    assert sent["sanitise_content_for"] is None  # email only, so the client never sends it for SMS
    repair = sent["personalisation"]["repair"]
    for fragment in ("http", "evil", "www", "[", "]", "(", "*", "#"):
        assert fragment not in repair
    assert repair.startswith("Tap leaks")


def test_a_rate_limit_answer_is_retried_later_with_the_reason_kept(fake_notify):
    message = queued_message()
    fake_notify.script("429")

    outcome = deliver_message(message.pk)

    assert outcome.result == "retry"
    assert 5 <= outcome.retry_in <= 15
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert "RateLimitError" in message.failure_reason
    assert message.next_attempt_at > timezone.now()
    assert not message.lookup_needed  # a 429 means Notify took nothing

    assert deliver_message(message.pk).result == "sent"
    assert fake_notify.lookups == []
    assert len(fake_notify.accepted) == 1


@pytest.mark.parametrize(
    ("answer", "reason"),
    [("daily", "TooManyRequestsError"), ("400", "BadRequestError")],
)
def test_the_daily_limit_and_a_refusal_are_not_retried(fake_notify, answer, reason):
    message = queued_message()
    fake_notify.script(answer)

    assert deliver_message(message.pk).result == "failed"

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert reason in message.failure_reason
    assert deliver_message(message.pk).result == "done"
    assert fake_notify.accepted == []


def test_after_a_503_the_reference_is_looked_up_before_sending_again(fake_notify):
    message = queued_message()
    fake_notify.script("503")

    assert deliver_message(message.pk).result == "retry"
    message.refresh_from_db()
    assert message.lookup_needed

    assert deliver_message(message.pk).result == "sent"
    assert fake_notify.lookups == [message.reference]
    assert len(fake_notify.accepted) == 1


def test_a_send_cut_off_by_a_timeout_is_found_by_reference_and_not_sent_twice(fake_notify, settings):
    settings.NOTIFY_TIMEOUT = 0.5
    message = queued_message()
    fake_notify.script("hang")  # Notify accepts it, the answer never comes back

    assert deliver_message(message.pk).result == "retry"
    assert len(fake_notify.accepted) == 1

    assert deliver_message(message.pk).result == "found"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.notify_id == fake_notify.accepted[0]["id"]
    assert fake_notify.posts_by_reference[message.reference] == 1


def test_a_worker_lost_mid_send_leaves_a_claim_the_next_worker_checks_first(fake_notify, settings):
    settings.NOTIFY_CLAIM_TIMEOUT = 60
    message = queued_message()
    fake_notify.script("ok")
    deliver_message(message.pk)
    # As if the worker died after Notify accepted it but before it recorded the answer.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now(), notify_id=""
    )

    assert deliver_message(message.pk).result == "busy"  # still claimed: another worker may be on it

    Message.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=5))
    assert deliver_message(message.pk).result == "found"
    assert fake_notify.posts_by_reference[message.reference] == 1


def test_a_bad_key_is_refused_by_notify_and_not_retried(fake_notify, settings):
    settings.NOTIFY_API_KEY = f"other-{fake_notify.service_id}-00000000-0000-4000-8000-000000000000"
    message = queued_message()

    assert deliver_message(message.pk).result == "failed"
    message.refresh_from_db()
    assert "403" in message.failure_reason


def test_a_placeholder_template_is_never_sent_with_a_real_key(fake_notify):
    make_rule(
        trigger=Trigger.EVENT,
        event="appointment_booked",
        state="",
        email_template_id="0" * 8 + "-0000-0000-0000-000000000003",
    )
    job, _ = home_job_with_reporter()
    record_event(job, "appointment_booked", public=True)

    assert deliver_message(Message.objects.get().pk).result == "failed"
    assert "placeholder" in Message.objects.get().failure_reason
    assert fake_notify.accepted == []


def test_a_broker_that_is_down_is_only_logged_and_the_sweeper_sends_later(
    fake_notify, monkeypatch, settings, caplog
):
    settings.NOTIFY_SWEEP_AFTER = 0
    message = queued_message()

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr("notifications.tasks.send_message.delay", broker_down)
    enqueue([message.pk])
    assert "the sweeper will pick it up" in caplog.text
    assert Message.objects.get().status == MessageStatus.QUEUED

    monkeypatch.undo()
    from notifications.tasks import sweep_unsent

    assert sweep_unsent() == 1
    assert Message.objects.get().status == MessageStatus.SENT
    assert len(fake_notify.accepted) == 1
    assert sweep_unsent() == 0


def test_without_a_key_messages_are_recorded_with_a_preview(recording_settings, fake_notify):
    make_rule(
        trigger=Trigger.EVENT,
        event="appointment_booked",
        state="",
        personalisation="reference, appointment",
        preview_text="Your repair ((reference)) is booked for ((appointment)).",
    )
    job, report = home_job_with_reporter()
    record_event(job, "appointment_booked", public=True, public_note="Tuesday 4 March, 8am to 12pm")

    assert deliver_message(Message.objects.get().pk).result == "sent"

    message = Message.objects.get()
    assert message.backend == "recording"
    assert f"Your repair {report.reference} is booked for Tuesday 4 March, 8am to 12pm." in message.preview
    assert fake_notify.accepted == []
