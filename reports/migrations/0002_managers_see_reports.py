"""Repairs managers and administrators may see the service reports and the scheduled exports' runs.

Permissions are only added, so a council's own changes to these groups survive.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Repairs managers", "Administrators"]
CODENAMES = ["view_service_reports", "view_exportrun"]


def grant(apps, schema_editor):
    reports_app = apps.get_app_config("reports")
    reports_app.models_module = True
    create_permissions(reports_app, apps=apps, verbosity=0)
    reports_app.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="reports", codename__in=CODENAMES))
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_export_run"),
        ("workflows", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
