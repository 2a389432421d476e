"""Rules administrators edit: unknown personalisation fields and incomplete rules are refused clearly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.fields import FIELDS
from notifications.models import NotificationRule
from tests.notifications.conftest import EMAIL_TEMPLATE, make_rule


def test_a_rule_naming_a_field_we_cannot_fill_is_refused_with_the_fields_we_can(db):
    with pytest.raises(ValidationError) as refused:
        make_rule(personalisation="reference, first_name, phone")

    message = refused.value.message_dict["personalisation"][0]
    assert "We cannot fill the fields first_name, phone" in message
    for name in FIELDS:
        assert name in message


def test_the_preview_may_use_only_the_rules_fields(db):
    with pytest.raises(ValidationError) as refused:
        make_rule(personalisation="reference", preview_text="Repair ((reference)) on ((appointment))")
    assert "appointment" in refused.value.message_dict["preview_text"][0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"trigger": "state", "state": ""}, "state"),
        ({"trigger": "event", "event": ""}, "event"),
        ({"email_template_id": "", "sms_template_id": ""}, "email_template_id"),
        ({"email_template_id": "not-a-template-id"}, "email_template_id"),
        ({"audience": "staff"}, "staff_email"),
    ],
)
def test_an_incomplete_rule_says_what_is_missing(db, changes, field):
    with pytest.raises(ValidationError) as refused:
        make_rule(**changes)
    assert field in refused.value.message_dict


def test_the_default_rules_ship_with_placeholders_marked_to_replace(db):
    names = set(NotificationRule.objects.values_list("name", flat=True))
    assert {
        "Report received (replace the placeholder templates)",
        "Appointment booked (replace the placeholder templates)",
        "No access (replace the placeholder templates)",
        "Repair completed (replace the placeholder templates)",
    } <= names
    for rule in NotificationRule.objects.all():
        assert rule.uses_placeholder
        rule.full_clean()  # every shipped rule passes the checks an administrator's would


def admin_form(**overrides) -> dict:
    data = {
        "name": "Work started",
        "trigger": "state",
        "state": "in_progress",
        "event": "",
        "trade": "",
        "priority": "",
        "audience": "reporters",
        "staff_email": "",
        "staff_group": "",
        "email_template_id": EMAIL_TEMPLATE,
        "sms_template_id": "",
        "personalisation": "reference, status_url",
        "preview_text": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_the_admin_refuses_an_unknown_field_and_saves_nothing(admin_client):
    before = NotificationRule.objects.count()

    response = admin_client.post(
        reverse("notifications_rules:add"), admin_form(personalisation="reference, tenant_name")
    )

    assert response.status_code == 200
    assert "We cannot fill the field tenant_name" in response.content.decode()
    assert NotificationRule.objects.count() == before


def test_the_admin_saves_a_good_rule_and_lists_messages(admin_client):
    response = admin_client.post(reverse("notifications_rules:add"), admin_form())

    assert response.status_code == 302
    rule = NotificationRule.objects.get(name="Work started")
    assert rule.field_names == ["reference", "status_url"]
    assert admin_client.get(reverse("notifications_rules:index")).status_code == 200
    assert admin_client.get(reverse("notifications_messages:index")).status_code == 200
