"""The public pages in English and Welsh: the html lang attribute and the Cymraeg / English link.

The language of a public page comes from its address (Welsh under /cy/, config/urls.py), so the link
goes to the same page in the other language: a Wagtail page's own translation (its slug may be
translated), or for the journey and status pages the same view under the other prefix.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()

WELSH = "cy"
# Each link is written in the language it leads to, as GOV.UK services do.
SWITCH_TEXT = {"cy": "Cymraeg", "en-gb": "English"}
HTML_LANG = {"cy": "cy", "en-gb": "en-GB"}


def other_language(language: str | None = None) -> str:
    language = language or get_language() or settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE if language == WELSH else WELSH


@register.simple_tag
def html_lang() -> str:
    return HTML_LANG.get(get_language() or settings.LANGUAGE_CODE, "en-GB")


@register.simple_tag(takes_context=True)
def language_switch(context: template.Context) -> dict | None:
    """Where the other language's version of this page is, with its link text; None off the public site."""
    request = context.get("request")
    if request is None:
        return None
    from wagtail.models import Page

    target = other_language()
    page = context.get("page")
    if isinstance(page, Page):
        href = _page_translation_url(page, target, request)
    else:
        href = translate_url(request.path, target)
        if href == request.path:
            href = None
    if href is None:
        return None  # no version of this page in the other language (yet)
    return {"href": href, "text": SWITCH_TEXT[target], "lang": HTML_LANG[target]}


def _page_translation_url(page, language: str, request) -> str | None:
    """The live translation's address (one query; the page cache keeps the render that holds it)."""
    translation = page.get_translations(inclusive=False).live().filter(locale__language_code=language).first()
    return translation.get_url(request) if translation is not None else None


@register.filter
def translate_stored(value: object) -> str:
    """A stored default (a priority's name) in the page's language, if the catalogue knows it."""
    from django.utils.translation import gettext

    text = str(value or "")
    return gettext(text) if text else text
