"""Managers and administrators look after the repairs set-up in the Wagtail admin.

Repairs managers may sign in to the admin, edit trades, priorities (and their targets), SoR codes,
work teams and closure days, and view jobs and reports; administrators may also delete them.
Permissions are only added, so a council's own changes to these groups survive.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SET_UP = [("repairs", "trade"), ("repairs", "priority"), ("repairs", "sorcode"), ("repairs", "workteam"), ("workflows", "closureday")]
READ_ONLY = [("repairs", "job"), ("repairs", "report")]

ROLE_ACTIONS = {
    "Repairs managers": ("view", "add", "change"),
    "Administrators": ("view", "add", "change", "delete"),
}


def grant(apps, schema_editor):
    for label in ("repairs", "workflows"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLE_ACTIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [(app, f"{action}_{model}") for app, model in SET_UP for action in actions]
        wanted += [(app, f"view_{model}") for app, model in READ_ONLY]
        wanted.append(("wagtailadmin", "access_admin"))
        for app, codename in wanted:
            permission = Permission.objects.filter(content_type__app_label=app, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_staff_roles"),
        ("repairs", "0002_default_trades_and_priorities"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
