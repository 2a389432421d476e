"""Bring the default trades and priorities in line with repairs/defaults.py, their one declaration.

The starter content used to declare its own copy, without the damp and mould emergency hazard (DME)
and with other sort orders (Urgent 20, Damp and mould investigation 30, Routine 40). Missing defaults
are created; a priority still exactly as that copy declared it takes the declared sort order. Any row a
council has edited is left alone.
"""

from django.db import migrations

from repairs.defaults import PRIORITIES, ensure_defaults

STARTER_CONTENT_SORT_ORDERS = {"EM": 10, "UR": 20, "DMI": 30, "RO": 40}


def bring_in_line(apps, schema_editor):
    Priority = apps.get_model("repairs", "Priority")
    ensure_defaults(apps.get_model("repairs", "Trade"), Priority)
    for default in PRIORITIES:
        old_order = STARTER_CONTENT_SORT_ORDERS.get(default.code)
        if old_order is None or old_order == default.sort_order:
            continue
        as_declared_before = {**default.fields(), "sort_order": old_order}
        Priority.objects.filter(code=default.code, **as_declared_before).update(sort_order=default.sort_order)


class Migration(migrations.Migration):
    dependencies = [("repairs", "0004_reportphoto")]

    operations = [migrations.RunPython(bring_in_line, migrations.RunPython.noop)]
