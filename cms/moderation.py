"""Content moderation: editors draft and submit, approvers approve and publish.

Made idempotently by name, so running the starter command twice, or alongside another app's set-up,
never duplicates groups, permissions or workflows.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

EDITORS = "Content editors"
APPROVERS = "Content approvers"
ADMINISTRATORS = "Administrators"
WORKFLOW_NAME = "Repairs content approval"
TASK_NAME = "Approve repairs content"

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
APPROVER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def ensure_moderation(home: Page) -> Workflow:
    """Groups, page permissions under `home`, and the approval workflow that applies to it."""
    editors = Group.objects.get_or_create(name=EDITORS)[0]
    approvers = Group.objects.get_or_create(name=APPROVERS)[0]
    administrators = Group.objects.get_or_create(name=ADMINISTRATORS)[0]
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    image_permissions = Permission.objects.filter(
        content_type__app_label="wagtailimages", codename__in=("add_image", "choose_image")
    )
    for group, codenames in (
        (editors, EDITOR_PAGE_PERMISSIONS),
        (approvers, APPROVER_PAGE_PERMISSIONS),
        (administrators, APPROVER_PAGE_PERMISSIONS),
    ):
        group.permissions.add(admin_access, *image_permissions)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(approvers, administrators)
    workflow = Workflow.objects.get_or_create(name=WORKFLOW_NAME)[0]
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow
