"""Default notification rules: report received, appointment booked, no access, completed, and staff
alerts for emergencies and jobs about to pass their due date.

Their template IDs are PLACEHOLDERS (00000000-0000-0000-0000-…): replace each with the ID of the
council's own template in GOV.UK Notify (Notifications → Rules). With no Notify key the recording
backend shows what would be sent; with a key, a placeholder is refused rather than sent.
Rules are only added, and found by name, so a council's own edits survive. Repairs managers may
see messages and edit rules; administrators may also delete rules.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PLACEHOLDER = "00000000-0000-0000-0000-{:012d}"

RULES = [
    {
        "name": "Report received (replace the placeholder templates)",
        "trigger": "event",
        "event": "report_received",
        "audience": "reporters",
        "email_template_id": PLACEHOLDER.format(1),
        "sms_template_id": PLACEHOLDER.format(2),
        "personalisation": "reference, repair, address_line, status_url",
        "preview_text": "We have your repair report ((reference)): ((repair)) at ((address_line)). "
        "Follow it at ((status_url))",
    },
    {
        "name": "Appointment booked (replace the placeholder templates)",
        "trigger": "event",
        "event": "appointment_booked",
        "audience": "reporters",
        "email_template_id": PLACEHOLDER.format(3),
        "sms_template_id": PLACEHOLDER.format(4),
        "personalisation": "reference, appointment, address_line, status_url",
        "preview_text": "Your repair ((reference)) is booked for ((appointment)) at ((address_line)). "
        "To change it: ((status_url))",
    },
    {
        "name": "No access (replace the placeholder templates)",
        "trigger": "state",
        "state": "no_access",
        "audience": "reporters",
        "email_template_id": PLACEHOLDER.format(5),
        "sms_template_id": PLACEHOLDER.format(6),
        "personalisation": "reference, public_note, status_url",
        "preview_text": "We could not get in to do repair ((reference)). ((public_note)) "
        "Book another visit: ((status_url))",
    },
    {
        "name": "Repair completed (replace the placeholder templates)",
        "trigger": "state",
        "state": "completed",
        "audience": "reporters",
        "email_template_id": PLACEHOLDER.format(7),
        "sms_template_id": PLACEHOLDER.format(8),
        "personalisation": "reference, trade, status_url",
        "preview_text": "Your repair ((reference)) is complete. Not fixed? Tell us: ((status_url))",
    },
    {
        "name": "Appointment tomorrow (replace the placeholder templates)",
        "trigger": "event",
        "event": "appointment_reminder",
        "audience": "reporters",
        "email_template_id": PLACEHOLDER.format(9),
        "sms_template_id": PLACEHOLDER.format(10),
        "personalisation": "reference, appointment, status_url",
        "preview_text": "Reminder: your repair ((reference)) visit is ((appointment)). "
        "Can't be in? ((status_url))",
    },
    {
        "name": "Emergency reported: staff alert (replace the placeholder template)",
        "trigger": "event",
        "event": "report_received",
        "audience": "staff",
        "emergency": True,
        "group": "Repairs managers",
        "email_template_id": PLACEHOLDER.format(11),
        "personalisation": "reference, trade, address_line, priority, status_url",
        "preview_text": "Emergency ((trade)) job ((reference)) at ((address_line)): ((status_url))",
    },
    {
        "name": "Job about to pass its due date: staff alert (replace the placeholder template)",
        "trigger": "event",
        "event": "due_soon",
        "audience": "staff",
        "group": "Repairs managers",
        "email_template_id": PLACEHOLDER.format(12),
        "personalisation": "reference, trade, address_line, priority, due_date, status, status_url",
        "preview_text": "((priority)) job ((reference)) (((status))) is due ((due_date)): ((status_url))",
    },
]


def add_rules(apps, schema_editor):
    NotificationRule = apps.get_model("notifications", "NotificationRule")
    Priority = apps.get_model("repairs", "Priority")
    Group = apps.get_model("auth", "Group")
    for spec in RULES:
        spec = dict(spec)
        emergency = spec.pop("emergency", False)
        group_name = spec.pop("group", "")
        if emergency:
            spec["priority"] = Priority.objects.filter(is_emergency=True).order_by("sort_order").first()
            if spec["priority"] is None:
                continue
        if group_name:
            spec["staff_group"] = Group.objects.filter(name=group_name).first()
            if spec["staff_group"] is None:
                continue
        NotificationRule.objects.get_or_create(name=spec.pop("name"), defaults=spec)


ROLE_PERMISSIONS = {
    "Repairs managers": ["view_message", "view_notificationrule", "add_notificationrule", "change_notificationrule"],
    "Administrators": [
        "view_message",
        "view_notificationrule",
        "add_notificationrule",
        "change_notificationrule",
        "delete_notificationrule",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="notifications", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("repairs", "0002_default_trades_and_priorities"),
        ("workflows", "0002_staff_roles"),
    ]

    operations = [
        migrations.RunPython(add_rules, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
