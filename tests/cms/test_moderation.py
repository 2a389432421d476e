"""Editors draft and submit; approvers approve, which publishes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from cms.moderation import APPROVERS, EDITORS, ensure_moderation
from tests.cms.factories import SmallTree

pytestmark = pytest.mark.django_db


def member_of(group_name: str, username: str):
    user = get_user_model().objects.create_user(username=username, password="x" * 16)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_setting_up_moderation_twice_makes_one_of_each(tree: SmallTree) -> None:
    first = ensure_moderation(tree.home)
    second = ensure_moderation(tree.home)
    assert first.pk == second.pk
    assert Group.objects.filter(name=EDITORS).count() == 1


def test_editors_can_edit_but_not_publish(tree: SmallTree) -> None:
    ensure_moderation(tree.home)
    editor = member_of(EDITORS, "editor")
    perms = tree.where.permissions_for_user(editor)
    assert perms.can_edit() and not perms.can_publish()


def test_approving_a_submitted_change_publishes_it(tree: SmallTree) -> None:
    workflow = ensure_moderation(tree.home)
    editor, approver = member_of(EDITORS, "editor"), member_of(APPROVERS, "approver")
    page = Page.objects.get(pk=tree.where.pk).specific
    page.title = "Where is the repair needed?"
    revision = page.save_revision(user=editor)
    state = workflow.start(page, editor)
    assert Page.objects.get(pk=tree.where.pk).title == "Where is the problem?", "not live until approved"

    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(page, approver)
    task_state.task.specific.on_action(task_state, approver, "approve")

    page.refresh_from_db()
    assert page.title == "Where is the repair needed?" and page.live_revision_id == revision.pk
