"""Public pages are rendered once per content change and personalised per request."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page, PageViewRestriction, Site

from cms.models import ContactSettings
from tests.cms.factories import SmallTree, publish

pytestmark = pytest.mark.django_db


def nonce_of(html: str) -> str:
    return re.search(r'<script nonce="([^"]+)"', html).group(1)


def test_a_cached_page_runs_no_queries_for_a_visitor_without_a_session(
    client: Client, tree: SmallTree, django_assert_max_num_queries
) -> None:
    # The first render also looks up the active locale and the page's translations (Wagtail's i18n
    # mode, English and Welsh); every later one is the cache's.
    with django_assert_max_num_queries(24):
        first = client.get(tree.home.url)
    for url in (tree.home.url, tree.guide.url, tree.where.url, tree.start.url):
        client.get(url)
        with django_assert_max_num_queries(0):
            again = Client().get(url)
        assert again.status_code == 200
    assert first.content.count(b"How to bleed a radiator") == 1


def test_a_resident_mid_diagnosis_costs_only_the_session_query(
    client: Client, tree: SmallTree, django_assert_max_num_queries
) -> None:
    client.post(tree.where.url, {"answer": tree.where.answers.get(label="In my home").pk})
    client.get(tree.leak.url)
    with django_assert_max_num_queries(1):
        response = client.get(tree.leak.url)
    assert f'<a href="{tree.where.url}" class="govuk-back-link">' in response.content.decode()


def test_the_back_link_is_each_residents_own(tree: SmallTree) -> None:
    resident = Client()
    resident.post(tree.where.url, {"answer": tree.where.answers.get(label="In my home").pk})
    assert f'href="{tree.where.url}" class="govuk-back-link"' in resident.get(tree.leak.url).content.decode()
    newcomer = Client().get(tree.leak.url).content.decode()
    assert f'href="{tree.where.url}" class="govuk-back-link"' not in newcomer
    assert f'href="{tree.start.url}" class="govuk-back-link"' in newcomer


def test_each_response_has_its_own_nonce_matching_its_policy(client: Client, tree: SmallTree) -> None:
    responses = [client.get(tree.guide.url) for _ in range(2)]
    nonces = [nonce_of(r.content.decode()) for r in responses]
    assert nonces[0] != nonces[1]
    for response, nonce in zip(responses, nonces, strict=True):
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert "cms-page-cache" not in response.content.decode()


def test_a_cached_question_takes_a_posted_answer_with_its_csrf_token(tree: SmallTree) -> None:
    Client().get(tree.where.url)  # fills the cache
    resident = Client(enforce_csrf_checks=True)
    html = resident.get(tree.where.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    chosen = tree.where.answers.get(label="In my home").pk
    response = resident.post(tree.where.url, {"answer": chosen, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == tree.leak.url


def test_publishing_a_new_revision_shows_at_once(client: Client, tree: SmallTree) -> None:
    assert b"How to bleed a radiator" in client.get(tree.guide.url).content
    tree.guide.title = "Bleeding a radiator"
    publish(tree.guide)
    html = client.get(tree.guide.url).content.decode()
    assert "Bleeding a radiator" in html and "How to bleed a radiator" not in html
    assert "Bleeding a radiator" in client.get(tree.home.url).content.decode()


def test_unpublishing_a_page_removes_it_from_the_cache(client: Client, tree: SmallTree) -> None:
    assert client.get(tree.guide.url).status_code == 200
    tree.guide.unpublish()
    assert client.get(tree.guide.url).status_code == 404


def test_changing_the_phone_numbers_shows_at_once(client: Client, tree: SmallTree) -> None:
    client.get(tree.home.url)
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.repairs_phone = "0161 496 0000"
    contact.save()
    assert b'href="tel:01614960000"' in client.get(tree.home.url).content


def test_editors_signed_in_are_never_served_the_cached_page(client: Client, tree: SmallTree) -> None:
    client.get(tree.guide.url)
    Page.objects.filter(pk=tree.guide.pk).update(title="Changed without publishing")
    assert b"Changed without publishing" not in Client().get(tree.guide.url).content
    editor = get_user_model().objects.create_superuser("editor", "editor@example.invalid", "x" * 16)
    client.force_login(editor)
    assert b"Changed without publishing" in client.get(tree.guide.url).content


def test_a_private_page_is_never_cached(client: Client, tree: SmallTree) -> None:
    PageViewRestriction.objects.create(
        page=tree.guide, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    html = client.get(tree.guide.url).content.decode()
    assert "Turn off the heating" not in html
    assert "Turn off the heating" not in Client().get(tree.guide.url).content.decode()


def test_query_strings_and_posts_bypass_the_cache(client: Client, tree: SmallTree) -> None:
    client.get(tree.where.url)
    response = client.post(tree.where.url, {})
    assert response.status_code == 400 and b"Select where the problem is" in response.content
    assert client.get(tree.where.url + "?from=letter").status_code == 200
