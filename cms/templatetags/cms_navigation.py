"""The public service navigation, built from the live pages so editors' changes show at once."""

from __future__ import annotations

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def service_navigation_params(context: template.Context, service_name: str) -> dict:
    """Options for the service navigation partial: the service name and the main sections."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return {
        "serviceName": service_name,
        "serviceUrl": site.root_page.get_url(request) if site else "/",
        "navigation": _items(context, site),
        "navigationLabel": "Main sections",
    }


def _items(context: template.Context, site: Site | None) -> list[dict]:
    request = context.get("request")
    current = context.get("page")
    if site is None:
        return []
    from cms.models import DiagnosisStartPage, EmergencyAdvicePage

    home = site.root_page
    items = [{"text": "Home", "href": home.get_url(request), "page": home}]
    for model, text in ((DiagnosisStartPage, "Report a repair"), (EmergencyAdvicePage, "Emergencies")):
        found = model.objects.live().public().child_of(home).first()
        if found:
            items.append({"text": text, "href": found.get_url(request), "page": found})
    for item in items:
        page: Page = item.pop("page")
        if current is not None and current.pk == page.pk:
            item["current"] = True
        elif current is not None and page.pk != home.pk and current.path.startswith(page.path):
            item["active"] = True
    return items
