"""Remove Wagtail's starter groups "Moderators" and "Editors", which this project does not use.

The project's roles are its own groups (Repairs managers, Contact-centre agents, Contractors, Content
editors, Content approvers, Administrators); content moderation runs through "Content approvers" and
"Administrators" (cms/moderation.py). Wagtail's two starter groups only add confusing choices in the
admin. A group someone has put users in is kept. Deleting a group takes its page and collection
permissions with it, and takes it off Wagtail's starter approval task (on the root page, outside the
site), which then only superusers can approve.
"""

from django.db import migrations

STARTER_GROUPS = ("Moderators", "Editors")


def remove_unused_starter_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=STARTER_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0003_audit_trail"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(remove_unused_starter_groups, migrations.RunPython.noop)]
