"""The personalisation fields a rule may use, and how resident-typed text is made safe to send.

The set is fixed and documented (docs/notifications.md): each field is something we can fill for
every message, and none carries personal data beyond the recipient's own (no names, no other
resident's contact details). A rule naming any other field is refused when it is saved, so a
template never goes out with a ((field)) Notify cannot fill.
"""

from __future__ import annotations

import re

FIELDS: dict[str, str] = {
    "reference": "The resident's report reference (RP-7K3M9Q); staff and contractors get the job's (RO-123).",
    "status_url": "The resident's status page link; for staff and contractors, the job in the back office.",
    "repair": "What the repair is, as first described (resident text: escaped before sending).",
    "trade": "The trade, like Plumbing.",
    "address_line": "The home's first address line, or the communal area's name.",
    "appointment": "The visit time in words, like Tuesday 4 March, 8am to 12pm.",
    "public_note": "What residents read beside the event (escaped before sending).",
    "status": "The job's state in words, like Scheduled.",
    "priority": "The job's priority, like Emergency.",
    "due_date": "When the job is due, in words.",
}

# Fields that may hold text someone typed: Notify escapes them in email; we neutralise them for SMS.
FREE_TEXT_FIELDS = frozenset({"repair", "public_note"})

_PLACEHOLDER = re.compile(r"\(\(\s*([^()]+?)\s*\)\)")


def parse_field_names(text: str) -> list[str]:
    """'reference, status_url' → ['reference', 'status_url'] (spaces, commas and ((brackets)) allowed)."""
    names = re.split(r"[,\s]+", text.replace("(", " ").replace(")", " "))
    return list(dict.fromkeys(n.strip().lower() for n in names if n.strip()))


def check_field_names(text: str) -> str:
    """An error message naming any unknown fields, or '' when every field can be filled."""
    unknown = [name for name in parse_field_names(text) if name not in FIELDS]
    if not unknown:
        return ""
    plural = "fields" if len(unknown) > 1 else "field"
    return f"We cannot fill the {plural} {', '.join(unknown)}. Use only these: {', '.join(FIELDS)}."


def fields_in_preview(text: str) -> list[str]:
    return [m.group(1).strip().lower() for m in _PLACEHOLDER.finditer(text)]


def render_preview(text: str, personalisation: dict[str, str]) -> str:
    """The preview wording with ((fields)) filled, as Notify would fill the template."""
    return _PLACEHOLDER.sub(lambda m: str(personalisation.get(m.group(1).strip().lower(), m.group(0))), text)


_URLISH = re.compile(
    r"(?ix)"
    r"(?:[a-z][a-z0-9+.-]*://\S+)"  # anything with a scheme
    r"|(?:www\.\S+)"
    r"|(?:\b[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2,24})(?::\d+)?(?:/\S*)?(?=\s|$|[),;!?]))"  # example.co.uk/path
    r"|(?:\S+@\S+)"  # an email address, or user@host
)
_MARKDOWN = re.compile(r"[\\`*_\[\]{}()<>#+|~^=>]")


def neutralise_for_sms(text: str, *, limit: int = 200) -> str:
    """Resident text made inert for a text message: no links a phone would make clickable, no markup.

    Notify's `sanitise_content_for` works for email only, so SMS personalisation is cleaned here.
    """
    text = _URLISH.sub("[link removed]", text)
    text = _MARKDOWN.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
