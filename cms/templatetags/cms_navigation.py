"""The public service navigation, built from the live pages so editors' changes show at once."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms import page_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def service_navigation_params(context: template.Context, service_name: str) -> dict:
    """Options for the service navigation partial: the service name and the main sections."""
    request = context.get("request")
    sections = _sections(request) if request else None
    return {
        "serviceName": service_name,
        "serviceUrl": sections[0]["href"] if sections else "/",
        "navigation": _items(context.get("page"), sections or []),
        "navigationLabel": _("Main sections"),
    }


def _sections(request: HttpRequest) -> list[dict] | None:
    """Home and the main sections under it, looked up once per content generation and host."""
    key = f"cms:navigation:{page_cache.generation()}:{request.get_host()}:{get_language()}"
    sections = cache.get(key)
    if sections is None:
        sections = _live_sections(request)
        cache.set(key, sections, page_cache.timeout())
    return sections


def _live_sections(request: HttpRequest) -> list[dict]:
    from cms.models import DiagnosisStartPage, EmergencyAdvicePage

    site = Site.find_for_request(request)
    if site is None:
        return []
    home = site.root_page
    if get_language() != settings.LANGUAGE_CODE:
        home = home.localized  # the Welsh home page on a Welsh address
    sections = [{"text": _("Home"), "href": home.get_url(request), "pk": home.pk, "path": home.path}]
    for model, text in ((DiagnosisStartPage, _("Report a repair")), (EmergencyAdvicePage, _("Emergencies"))):
        found = model.objects.live().public().child_of(home).first()
        if found:
            href = found.get_url(request)
            sections.append({"text": text, "href": href, "pk": found.pk, "path": found.path})
    return sections


def _items(current, sections: list[dict]) -> list[dict]:
    """The sections as navigation items, the current page's section marked."""
    items = []
    for index, section in enumerate(sections):
        item = {"text": section["text"], "href": section["href"]}
        if current is not None and current.pk == section["pk"]:
            item["current"] = True
        elif current is not None and index > 0 and current.path.startswith(section["path"]):
            item["active"] = True
        items.append(item)
    return items
