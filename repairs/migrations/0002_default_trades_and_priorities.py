"""Default trades and priorities, including the damp and mould timescales of Awaab's Law.

Found or created by code, so a content command that created some first is left as it is; councils
edit the names and targets afterwards in the admin.
"""

from django.db import migrations

TRADES = [
    ("PL", "Plumbing"),
    ("EL", "Electrical"),
    ("CA", "Carpentry"),
    ("HE", "Heating"),
    ("RF", "Roofing"),
    ("GL", "Glazing"),
    ("GB", "General building"),
    ("LF", "Lifts"),
    ("DE", "Door entry"),
    ("DM", "Damp and mould"),
]

# code, name, target value, target unit, is emergency, sort order
PRIORITIES = [
    ("EM", "Emergency", 24, "hours", True, 10),
    ("DME", "Damp and mould emergency hazard", 24, "hours", True, 20),
    ("UR", "Urgent", 5, "working_days", False, 30),
    ("DMI", "Damp and mould investigation", 10, "working_days", False, 40),
    ("RO", "Routine", 20, "working_days", False, 50),
]


def create_defaults(apps, schema_editor):
    Trade = apps.get_model("repairs", "Trade")
    Priority = apps.get_model("repairs", "Priority")
    for code, name in TRADES:
        Trade.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, value, unit, emergency, order in PRIORITIES:
        Priority.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "target_value": value,
                "target_unit": unit,
                "is_emergency": emergency,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("repairs", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
