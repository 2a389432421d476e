"""The Awaab's Law hazard kinds every install starts with (workflows.hazards.rules), and who may act on
hazard cases: repairs managers and administrators. Kinds and permissions are only added, so a council's
own edits survive."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from workflows.hazards.rules import ensure_hazard_kinds

ROLES = ["Repairs managers", "Administrators"]
CODENAMES = [
    "manage_hazard_case",
    "view_hazardcase",
    "view_hazardkind",
    "add_hazardkind",
    "change_hazardkind",
]


def add_kinds(apps, schema_editor):
    ensure_hazard_kinds(apps.get_model("workflows", "HazardKind"), apps.get_model("repairs", "Priority"))


def grant(apps, schema_editor):
    workflows_app = apps.get_app_config("workflows")
    workflows_app.models_module = True
    create_permissions(workflows_app, apps=apps, verbosity=0)
    workflows_app.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="workflows", codename__in=CODENAMES))
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0006_hazard_cases"),
        ("repairs", "0005_default_trades_and_priorities_in_line"),
    ]

    operations = [
        migrations.RunPython(add_kinds, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
