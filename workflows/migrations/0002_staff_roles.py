"""Staff roles as groups, each holding the permissions for the transitions it may make.

Groups are found or created by name, so another app's migration or command creating the same group
first does no harm; the permissions are added, never taken away, so a council's own additions survive.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL_TRANSITIONS = [
    "triage_job",
    "schedule_job",
    "start_work",
    "hold_job",
    "resume_job",
    "record_no_access",
    "complete_job",
    "close_job",
    "cancel_job",
    "reject_job",
    "merge_job",
]

ROLE_PERMISSIONS = {
    "Repairs managers": ALL_TRANSITIONS,
    "Contact-centre agents": ["cancel_job"],
    "Contractors": ["start_work", "record_no_access", "complete_job"],
    "Content editors": [],
    "Administrators": ALL_TRANSITIONS,
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    workflows = apps.get_app_config("workflows")
    workflows.models_module = True
    create_permissions(workflows, apps=apps, verbosity=0)
    workflows.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="workflows", codename__in=codenames)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
