"""GOV.UK-styled error pages when DEBUG is off."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import path

from cms.error_pages import server_error
from config.urls import urlpatterns as site_urlpatterns
from tests.cms.factories import SmallTree

pytestmark = pytest.mark.django_db
DASH = "\u2013"  # the en dash GOV.UK titles use between their parts


def forbidden(request: HttpRequest):
    raise PermissionDenied


def broken(request: HttpRequest):
    raise RuntimeError("boom")


urlpatterns = [path("forbidden/", forbidden), path("broken/", broken), *site_urlpatterns]
handler403 = "cms.error_pages.permission_denied"
handler404 = "cms.error_pages.page_not_found"
handler500 = "cms.error_pages.server_error"


@override_settings(DEBUG=False)
def test_page_not_found_uses_the_govuk_pattern(client: Client, tree: SmallTree) -> None:
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert f"<title>Page not found {DASH} Housing repairs {DASH}" in html
    assert "If you typed the web address, check it is correct." in html
    assert 'href="tel:02079460000"' in html


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_permission_denied_page(client: Client, tree: SmallTree) -> None:
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "You do not have permission to see this page." in response.content.decode()


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_server_error_page_is_the_govuk_problem_with_the_service_page(tree: SmallTree) -> None:
    response = Client(raise_request_exception=False).get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in html
    assert "Try again later." in html


def test_server_error_page_renders_without_the_database(django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(0):
        response = server_error(HttpRequest())
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


@override_settings(DEBUG=False)
def test_a_refused_form_shows_the_start_again_page(tree: SmallTree) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(tree.where.url, {"answer": "1"})
    assert response.status_code == 403
    assert "Sorry, you need to start again" in response.content.decode()
