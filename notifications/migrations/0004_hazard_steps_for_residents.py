"""Awaab's Law: the resident is told of each step the status page shows (treated as an emergency,
inspection done, home made safe, further work started or later, somewhere else to stay), as they are
of the written summary. Template IDs are PLACEHOLDERS (see 0002); rules are only added, by name."""

from django.db import migrations, models

PLACEHOLDER = "00000000-0000-0000-0000-{:012d}"
PERSONALISATION = "reference, address_line, public_note, status_url"

STEPS = [
    ("hazard_treated_as_emergency", "Hazard treated as an emergency", 17),
    ("hazard_investigated", "Hazard inspection done", 19),
    ("hazard_made_safe", "Hazard: home made safe", 21),
    ("hazard_further_work_started", "Hazard: further work started", 23),
    ("hazard_further_work_later", "Hazard: further work needs more time", 25),
    ("hazard_alternative_offered", "Hazard: somewhere else to stay offered", 27),
]


def add_rules(apps, schema_editor):
    NotificationRule = apps.get_model("notifications", "NotificationRule")
    for event, name, template in STEPS:
        NotificationRule.objects.get_or_create(
            name=f"{name} (replace the placeholder templates)",
            defaults={
                "trigger": "event",
                "event": event,
                "audience": "reporters",
                "email_template_id": PLACEHOLDER.format(template),
                "sms_template_id": PLACEHOLDER.format(template + 1),
                "personalisation": PERSONALISATION,
                "preview_text": "Your repair ((reference)) at ((address_line)): ((public_note)) "
                "Follow it here: ((status_url))",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_hazard_events"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notificationrule",
            name="event",
            field=models.CharField(
                blank=True,
                choices=[
                    ("report_received", "Report received"),
                    ("neighbour_reported", "A neighbour joined a communal job"),
                    ("appointment_booked", "Appointment booked"),
                    ("appointment_moved", "Appointment moved"),
                    ("appointment_cancelled", "Appointment cancelled"),
                    ("operative_on_the_way", "Operative on the way"),
                    ("operative_arrived", "Operative arrived"),
                    ("contractor_will_contact", "Contractor will contact the resident"),
                    ("appointment_reminder", "Appointment tomorrow (reminder, sent the day before)"),
                    ("due_soon", "Job about to pass its due date"),
                    ("hazard_summary_sent", "Hazard: written summary of the findings sent"),
                    ("hazard_clock_alert", "Hazard: half or 80% of a stage's time has gone"),
                    ("hazard_clock_breached", "Hazard: a stage has passed its due time"),
                    ("hazard_treated_as_emergency", "Hazard: treated as an emergency"),
                    ("hazard_investigated", "Hazard: inspection done"),
                    ("hazard_made_safe", "Hazard: home made safe"),
                    ("hazard_further_work_started", "Hazard: further work started"),
                    ("hazard_further_work_later", "Hazard: further work needs more time"),
                    ("hazard_alternative_offered", "Hazard: somewhere else to stay offered"),
                ],
                help_text="For 'Something happens to the job'.",
                max_length=30,
            ),
        ),
        migrations.RunPython(add_rules, migrations.RunPython.noop),
    ]
