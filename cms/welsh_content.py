"""The starter content in Welsh, made the way an editor makes it: with wagtail-localize.

The Welsh tree is synced from the English one (`LocaleSynchronization`: every English page gets a Welsh
copy, an alias until it is translated), then each starter page is translated through wagtail-localize's
own records (a translation source, its strings, and their Welsh translations), so editors find the
translations in the admin exactly as if they had typed them, and can change or sync them there.

Idempotent: a Welsh page that is already translated (by this loader or by an editor) is left alone.
A string without Welsh here keeps its English until an editor translates it. The words are in
`cms.starter_content_cy`; a Welsh speaker should review them (docs/welsh.md).
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Locale, Page

from cms.starter_content_cy import WELSH

WELSH_LANGUAGE = "cy"


def welsh_locale() -> Locale:
    locale, _ = Locale.objects.get_or_create(language_code=WELSH_LANGUAGE)
    return locale


def sync_welsh_tree() -> Locale:
    """The Welsh locale, synced from the default one: every page has a Welsh copy (an alias at first)."""
    from wagtail_localize.models import LocaleSynchronization
    from wagtail_localize.synctree import synchronize_tree

    english, welsh = Locale.get_default(), welsh_locale()
    LocaleSynchronization.objects.get_or_create(locale=welsh, defaults={"sync_from": english})
    synchronize_tree(english, welsh)
    return welsh


def untranslated_strings() -> list[str]:
    """Strings of the English starter pages that have no Welsh here (for whoever extends the words)."""
    from wagtail_localize.models import StringSegment, TranslationSource

    missing: list[str] = []
    for page in _english_pages():
        source, _ = TranslationSource.get_or_create_from_instance(page)
        for segment in StringSegment.objects.filter(source=source).select_related("string"):
            text = segment.string.data
            if text not in WELSH and text not in missing:
                missing.append(text)
    return missing


@transaction.atomic
def load_welsh_content() -> list[str]:
    """Translate every English page whose Welsh copy is still an alias; returns the titles translated."""
    from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

    welsh = sync_welsh_tree()
    translated = []
    for page in _english_pages():
        copy = page.get_translation_or_none(welsh)
        if copy is not None and copy.alias_of_id is None:
            continue  # translated already: editors' words are never overwritten
        source, _ = TranslationSource.update_or_create_from_instance(page)
        translation, _ = Translation.objects.get_or_create(source=source, target_locale=welsh)
        for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
            words = WELSH.get(segment.string.data)
            if words:
                StringTranslation.objects.update_or_create(
                    translation_of=segment.string,
                    locale=welsh,
                    context=segment.context,
                    defaults={"data": words, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
                )
        translation.save_target(publish=True)
        translated.append(page.title)
    return translated


def _english_pages() -> list[Page]:
    """The default locale's pages below the root, parents first (a translation needs its parent's)."""
    return list(
        Page.objects.filter(locale=Locale.get_default(), depth__gt=1, alias_of__isnull=True)
        .order_by("path")
        .specific()
    )
