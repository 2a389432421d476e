"""An editor builds a question in Wagtail's admin, previews it, publishes it, and residents are asked it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cms.models import QuestionPage
from cms.moderation import APPROVERS, EDITORS, ensure_moderation
from tests.cms.factories import small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def site_tree(transactional_db):
    tree = small_tree()
    ensure_moderation(tree.home)
    return tree


def staff_member(group: str, username: str):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")


def choose_page(page, field_id: str, search: str, title: str) -> None:
    """Use Wagtail's page chooser modal for one field: search, then pick the result by its title."""
    chooser = page.locator(f"#{field_id}-chooser")
    if chooser.get_by_role("button", name="Choose a page").is_visible():
        chooser.get_by_role("button", name="Choose a page").click()
    else:
        chooser.get_by_role("button", name="Actions").click()
        chooser.get_by_role("button", name="Choose another page").click()
    modal = page.locator(".modal-content")
    modal.get_by_label("Search term").fill(search)
    modal.locator("a.choose-page", has_text=title).click()
    modal.wait_for(state="hidden")


def fill_answer(page, index: int, label: str, target_search: str, target_title: str) -> None:
    if page.locator(f"#id_answers-{index}-label").count() == 0:
        page.get_by_role("button", name="Add Answer").click()
    page.locator(f"#id_answers-{index}-label").fill(label)
    choose_page(page, f"id_answers-{index}-next_page", target_search, target_title)


def publish(page) -> None:
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_selector(".messages .success")


def test_editor_adds_previews_and_publishes_a_question_residents_then_answer(
    page, browser, live_server, site_tree
) -> None:
    staff_member(APPROVERS, "approver")
    sign_in(page, live_server, "approver")

    page.goto(f"{live_server.url}/admin/pages/add/cms/questionpage/{site_tree.start.pk}/")
    page.locator("#id_title").fill("What is wrong with the radiator?")
    page.locator("#id_hint").fill("Choose the one that fits best")
    fill_answer(page, 0, "It is dripping", "dripping", "Report a dripping tap")
    fill_answer(page, 1, "Water is pouring out", "Flooding", "Flooding: call us now")
    fill_answer(page, 2, "It is cold at the top", "yourself", "You can fix this yourself")

    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("legend h1")).to_have_text("What is wrong with the radiator?")
    expect(preview.locator(".govuk-radios__label")).to_have_text(
        ["It is dripping", "Water is pouring out", "It is cold at the top"]
    )
    page.get_by_role("button", name="Toggle preview").click()
    publish(page)

    question = QuestionPage.objects.get(title="What is wrong with the radiator?")
    assert question.live and question.answers.count() == 3

    page.goto(f"{live_server.url}/admin/pages/{site_tree.start.pk}/edit/")
    choose_page(page, "id_first_question", "radiator", "What is wrong with the radiator?")
    publish(page)

    resident = browser.new_context().new_page()
    resident.goto(live_server.url + site_tree.start.url)
    resident.get_by_role("button", name="Start now").click()
    assert resident.locator("h1").inner_text() == "What is wrong with the radiator?"
    resident.get_by_label("It is cold at the top").check()
    resident.get_by_role("button", name="Continue").click()
    assert resident.locator("h1").inner_text() == "You can fix this yourself"
    assert "Open the bleed valve." in resident.locator("main").inner_text()
    resident.context.close()


def test_editor_submits_a_change_and_an_approver_publishes_it(page, browser, live_server, site_tree) -> None:
    staff_member(EDITORS, "editor")
    staff_member(APPROVERS, "approver")
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/pages/{site_tree.where.pk}/edit/")
    page.locator("#id_title").fill("Where do you need the repair?")
    page.get_by_role("button", name="More actions").click()
    assert page.get_by_role("button", name="Publish", exact=True).count() == 0
    page.get_by_role("button", name="Submit to Repairs content approval").click()
    page.wait_for_selector(".messages .success")
    assert QuestionPage.objects.get(pk=site_tree.where.pk).title == "Where is the problem?"

    approver_page = browser.new_context().new_page()
    sign_in(approver_page, live_server, "approver")
    approver_page.goto(f"{live_server.url}/admin/pages/{site_tree.where.pk}/edit/")
    approver_page.get_by_role("button", name="More actions").click()
    approver_page.get_by_role("button", name="Approve and Publish", exact=True).click()
    approver_page.wait_for_selector(".messages .success")
    approver_page.context.close()

    assert QuestionPage.objects.get(pk=site_tree.where.pk).title == "Where do you need the repair?"
