"""The public diagnosis: one question per page, PRG, GOV.UK errors, and the answered path in the session."""

from __future__ import annotations

import pytest
from django.test import Client

from cms.diagnosis import answered_path, as_report_diagnosis, reached_outcome
from cms.models import ContactSettings
from tests.cms.factories import SmallTree

pytestmark = pytest.mark.django_db


def answer(client: Client, question, label: str):
    chosen = question.answers.get(label=label)
    return client.post(question.url, {"answer": chosen.pk})


def test_question_is_the_pages_h1_inside_the_fieldset_legend(client: Client, tree: SmallTree) -> None:
    html = client.get(tree.where.url).content.decode()
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">' in html
    assert '<h1 class="govuk-fieldset__heading">\n      Where is the problem?' in html
    assert 'type="radio"' in html and "In my home" in html


def test_posting_an_answer_redirects_to_the_next_page(client: Client, tree: SmallTree) -> None:
    response = answer(client, tree.where, "In my home")
    assert response.status_code == 302
    assert response["Location"] == tree.leak.url


def test_posting_nothing_shows_the_error_summary_and_inline_error(client: Client, tree: SmallTree) -> None:
    response = client.post(tree.where.url, {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and '<a href="#answer">Select where the problem is</a>' in html
    assert '<p id="answer-error" class="govuk-error-message">' in html
    assert "<title>Error: Where is the problem?" in html


def test_an_answer_from_another_question_is_refused(client: Client, tree: SmallTree) -> None:
    foreign = tree.leak.answers.first()
    response = client.post(tree.where.url, {"answer": foreign.pk})
    assert response.status_code == 400
    assert answered_path(client.session) == []


def test_the_path_records_page_revision_and_answer(client: Client, tree: SmallTree) -> None:
    answer(client, tree.where, "In my home")
    answer(client, tree.leak, "A tap")
    steps = answered_path(client.session)
    assert [(s.page_id, s.revision_id, s.answer) for s in steps] == [
        (tree.where.pk, tree.where.live_revision_id, "In my home"),
        (tree.leak.pk, tree.leak.live_revision_id, "A tap"),
    ]


def test_reaching_an_outcome_records_it_for_the_report(client: Client, tree: SmallTree) -> None:
    answer(client, tree.where, "In my home")
    answer(client, tree.leak, "A tap")
    client.get(tree.bookable.url)
    assert reached_outcome(client.session).page_id == tree.bookable.pk
    assert as_report_diagnosis(client.session)[-1]["outcome"] == "A dripping tap"


def test_answering_again_after_going_back_forgets_later_answers(client: Client, tree: SmallTree) -> None:
    answer(client, tree.where, "In my home")
    answer(client, tree.leak, "A tap")
    answer(client, tree.where, "A cold radiator")
    assert [s.answer for s in answered_path(client.session)] == ["A cold radiator"]


def test_back_link_goes_to_the_previous_question_answered(client: Client, tree: SmallTree) -> None:
    answer(client, tree.where, "In my home")
    html = client.get(tree.leak.url).content.decode()
    assert f'<a href="{tree.where.url}" class="govuk-back-link">Back</a>' in html


def test_first_question_back_link_goes_to_the_start_page(client: Client, tree: SmallTree) -> None:
    html = client.get(tree.where.url).content.decode()
    assert f'<a href="{tree.start.url}" class="govuk-back-link">' in html


def test_emergency_outcome_shows_the_emergency_number_from_settings(client: Client, tree: SmallTree) -> None:
    settings = ContactSettings.for_site(tree.home.get_site())
    settings.emergency_phone = "01632 960123"
    settings.save()
    html = client.get(tree.emergency.url).content.decode()
    assert "govuk-panel--interruption" in html
    assert 'href="tel:01632960123">01632 960123</a>' in html


def test_bookable_outcome_links_to_the_resident_journey_or_reporting_by_phone(
    client: Client, tree: SmallTree
) -> None:
    from django.urls import NoReverseMatch, reverse

    answer(client, tree.where, "In my home")
    answer(client, tree.leak, "A tap")
    html = client.get(tree.bookable.url).content.decode()
    phone_url = tree.bookable.url + "report/"
    try:
        journey_url = reverse("repairs:report_start")
    except NoReverseMatch:
        journey_url = phone_url
    assert f'href="{journey_url}"' in html and "Report this repair" in html
    report = client.get(phone_url).content.decode()
    assert "Report this repair by phone" in report
    assert "020 7946 0000" in report
    assert "What is leaking?" in report and "A tap" in report and "A dripping tap" in report


def test_self_help_outcome_shows_the_guides_steps(client: Client, tree: SmallTree) -> None:
    html = client.get(tree.self_help.url).content.decode()
    assert "Open the bleed valve." in html and "govuk-list--number" in html


def test_start_page_links_to_the_first_question(client: Client, tree: SmallTree) -> None:
    html = client.get(tree.start.url).content.decode()
    assert f'href="{tree.where.url}"' in html and "govuk-button--start" in html


def test_pages_load_the_javascript_as_a_module_with_the_csp_nonce(client: Client, tree: SmallTree) -> None:
    response = client.get(tree.where.url)
    html = response.content.decode()
    nonce = html.split('<script type="module" nonce="')[1].split('"')[0]
    assert nonce and f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert f'<script nonce="{nonce}">document.body.className' in html


def test_preview_of_an_unsaved_question_renders_in_the_public_template(tree: SmallTree) -> None:
    from cms.models import Answer, QuestionPage

    draft = QuestionPage(title="What is wrong with the radiator?", slug="radiator", hint="Choose one")
    draft.answers.add(Answer(label="It is dripping", next_page=tree.bookable))
    draft.answers.add(Answer(label="It is cold", next_page=tree.self_help))
    tree.start.add_child(instance=draft)
    html = draft.make_preview_request().content.decode()
    assert "What is wrong with the radiator?" in html and "It is cold" in html


def test_gas_emergency_outcome_shows_the_national_gas_emergency_number(
    client: Client, tree: SmallTree
) -> None:
    from cms.models import EmergencyLine, OutcomePage

    OutcomePage.objects.filter(pk=tree.emergency.pk).update(emergency_line=EmergencyLine.GAS)
    html = client.get(tree.emergency.url).content.decode()
    assert 'href="tel:0800111999">0800 111 999</a>' in html
