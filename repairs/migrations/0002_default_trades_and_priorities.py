"""Default trades and priorities, including the damp and mould timescales of Awaab's Law.

Found or created by code, so a content command that created some first is left as it is; councils
edit the names and targets afterwards in the admin. Declared once, in repairs/defaults.py.
"""

from django.db import migrations

from repairs.defaults import ensure_defaults


def create_defaults(apps, schema_editor):
    ensure_defaults(apps.get_model("repairs", "Trade"), apps.get_model("repairs", "Priority"))


class Migration(migrations.Migration):
    dependencies = [("repairs", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
