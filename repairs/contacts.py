"""Telling whether two contact details are the same person's, however they were typed."""

from __future__ import annotations

import re

import phonenumbers

_NOT_DIGIT = re.compile(r"\D")


def phone_key(phone: str) -> str:
    """A UK-first canonical form: '07700 900123' and '+44 7700 900123' give the same key."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        parsed = phonenumbers.parse(phone, "GB")
    except phonenumbers.NumberParseException:
        return _NOT_DIGIT.sub("", phone)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def same_phone(first: str, second: str) -> bool:
    first_key, second_key = phone_key(first), phone_key(second)
    return bool(first_key) and first_key == second_key
