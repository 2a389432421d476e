"""Contact-centre agents book a visit while the caller waits, so they may schedule a job."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_schedule(apps, schema_editor):
    workflows = apps.get_app_config("workflows")
    workflows.models_module = True
    create_permissions(workflows, apps=apps, verbosity=0)
    workflows.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="workflows", codename="schedule_job").first()
    if permission is None:
        return
    group, _ = Group.objects.get_or_create(name="Contact-centre agents")
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_initial"),
        ("workflows", "0005_reopen_and_lifecycle_settings"),
    ]

    operations = [migrations.RunPython(grant_schedule, migrations.RunPython.noop)]
