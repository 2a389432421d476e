"""UK postcode normalisation: what a person types becomes one canonical form, or a clear error."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop
from localflavor.gb.forms import GBPostcodeField


class InvalidPostcode(ValueError):
    """Raised for text that is not a well-formed UK postcode; the message is fit to show a resident
    (in English, marked for translation: `gettext` it where the page's language is known)."""


_FIELD = GBPostcodeField(required=True)


def normalise_postcode(raw: str | None) -> str:
    """Return the postcode as "SW1A 1AA" for any case and spacing, or raise InvalidPostcode."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPostcode(gettext_noop("Enter a postcode, like AA3 1AB"))
    try:
        return _FIELD.clean(text)
    except ValidationError as error:
        raise InvalidPostcode(gettext_noop("Enter a real postcode, like AA3 1AB")) from error


def postcode_key(postcode: str) -> str:
    """The indexed look-up key: upper case with no spaces ("SW1A1AA")."""
    return "".join(postcode.split()).upper()
