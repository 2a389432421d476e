"""The public pages as every visitor sees them, rendered once per content generation.

Profiling showed a public page spent most of its 20 ms in Wagtail routing, site and settings look-ups
and the navigation's queries, none of which differ between visitors. So a page type that opts in
(`CachedForEveryVisitor`) is rendered once, stored with placeholders where a response is personal (the
CSP nonce, the CSRF token, the diagnosis back link), and each request fills those in: no queries for a
visitor without a session, one (the session) for a resident part-way through a diagnosis.

The cache key holds a content generation that any publish, unpublish, move, delete, view restriction,
site or contact-settings change replaces, so an editor's change shows on the next request. Across
processes that needs a shared cache (REDIS_URL, as production sets); `CMS_PAGE_CACHE_SECONDS` bounds
how stale a process-local cache can get. Signed-in users (editors) and previews always bypass it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.translation import get_language

from cms import diagnosis

if TYPE_CHECKING:
    from wagtail.models import Page

GENERATION_KEY = "cms:page-cache:generation"
NONCE_PLACEHOLDER = "cms-page-cache-csp-nonce"
CSRF_PLACEHOLDER = "cms-page-cache-csrf-token"
BACK_URL_PLACEHOLDER = "/cms-page-cache-back-url/"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def timeout() -> int:
    return getattr(settings, "CMS_PAGE_CACHE_SECONDS", 300)


def generation() -> int:
    """The current content generation; a fresh cache starts its own so old entries are never read."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def _new_generation() -> None:
    cache.set(GENERATION_KEY, time.time_ns(), None)


def content_changed(**kwargs: Any) -> None:
    """Start a new generation now and again after the commit (so no request refills with old rows)."""
    _new_generation()
    transaction.on_commit(_new_generation)


@dataclass(frozen=True)
class CachedPage:
    page_id: int
    parent_url: str
    content: str
    content_type: str

    def response_for(self, request: HttpRequest) -> HttpResponse:
        content = fill_in(request, self.content)
        if BACK_URL_PLACEHOLDER in content:
            content = content.replace(BACK_URL_PLACEHOLDER, escape(back_url(request, self)))
        return HttpResponse(content, content_type=self.content_type)


def to_placeholders(request: HttpRequest, content: str) -> str:
    """A render with this request's CSP nonce and CSRF token swapped for placeholders (to store)."""
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str):
        content = content.replace(nonce, NONCE_PLACEHOLDER)
    return _CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", content)


def fill_in(request: HttpRequest, content: str) -> str:
    """A stored render with this request's own CSP nonce and (only if a form needs it) CSRF token."""
    content = content.replace(NONCE_PLACEHOLDER, str(request.csp_nonce))
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request))
    return content


def back_url(request: HttpRequest, entry: CachedPage) -> str:
    """The question answered just before this one on the resident's own path, else the parent page."""
    previous_id = diagnosis.previous_page_id(request.session, entry.page_id)
    if previous_id is None:
        return entry.parent_url
    return live_page_url(request, previous_id) or entry.parent_url


def live_page_url(request: HttpRequest, page_id: int) -> str | None:
    """A live page's URL, looked up once per generation and host."""
    from wagtail.models import Page

    key = f"cms:page-url:{generation()}:{request.get_host()}:{get_language()}:{page_id}"
    url = cache.get(key)
    if url is None:
        page = Page.objects.live().filter(pk=page_id).first()
        url = page.get_url(request) if page else ""
        cache.set(key, url, timeout())
    return url or None


def _entry_key(request: HttpRequest, path: str) -> str:
    scheme = "https" if request.is_secure() else "http"
    # The language comes from the address (/cy/ or none), which `path` here leaves out.
    return f"cms:page:{generation()}:{scheme}:{request.get_host()}:{get_language()}:{path}"


def _is_cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.GET
        and not getattr(request, "is_preview", False)
        and not request.user.is_authenticated
    )


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view, answered from the cache for anonymous GETs of pages that opt in."""
    from wagtail import views as wagtail_views

    if not _is_cacheable_request(request):
        return wagtail_views.serve(request, path)
    key = _entry_key(request, path)
    entry = cache.get(key)
    if entry is None:
        request.cms_page_cache_fill = True
        response = wagtail_views.serve(request, path)
        page = getattr(response, "cms_cacheable_page", None)
        if page is None:
            return response
        entry = _entry_from(request, page, response)
        cache.set(key, entry, timeout())
    return entry.response_for(request)


def _entry_from(request: HttpRequest, page: Page, response: HttpResponse) -> CachedPage:
    if hasattr(response, "render"):
        response.render()
    content = to_placeholders(request, response.content.decode(response.charset))
    parent = page.get_parent()
    return CachedPage(
        page_id=page.pk,
        parent_url=(parent.get_url(request) if parent else None) or "/",
        content=content,
        content_type=response["Content-Type"],
    )


def is_filling(request: HttpRequest) -> bool:
    """Whether this request renders a page for the cache (personal parts become placeholders)."""
    return getattr(request, "cms_page_cache_fill", False)


def mark_cacheable(page: Page, request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Offer a successful, public render to the cache; private pages and errors are never stored."""
    if is_filling(request) and response.status_code == 200 and not page.get_view_restrictions().exists():
        response.cms_cacheable_page = page
    return response


class CachedForEveryVisitor:
    """Mixin for page types whose render is the same for every visitor (bar the placeholders)."""

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return mark_cacheable(self, request, super().serve(request, *args, **kwargs))


def connect_invalidation() -> None:
    """Any change to what a public page shows starts a new generation."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from cms.models import ContactSettings

    page_published.connect(content_changed, dispatch_uid="cms-page-cache-published")
    page_unpublished.connect(content_changed, dispatch_uid="cms-page-cache-unpublished")
    post_page_move.connect(content_changed, dispatch_uid="cms-page-cache-moved")
    post_delete.connect(_page_deleted, dispatch_uid="cms-page-cache-deleted")
    for model in (PageViewRestriction, Site, ContactSettings):
        post_save.connect(_saved, sender=model, dispatch_uid=f"cms-page-cache-save-{model.__name__}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"cms-page-cache-delete-{model.__name__}"
        )


def _saved(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    from cms.models import ContactSettings

    # The first page view creates the settings row with its defaults: what was rendered still holds.
    if not (created and sender is ContactSettings):
        content_changed()


def _page_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        content_changed()
