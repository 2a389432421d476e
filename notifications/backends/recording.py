"""The embedded default: no Notify key, so messages are recorded with a preview instead of sent.

The preview shows what the resident would receive (the rule's preview wording filled in, or the
personalisation listed), so a demo of the service shows its messages in the admin.
"""

from __future__ import annotations

import uuid

from notifications.fields import render_preview
from notifications.models import Message

from .base import Delivery


class RecordingBackend:
    name = "recording"
    can_look_up = False
    counts_against_rate_limit = False

    def send(self, message: Message) -> Delivery:
        return Delivery(notify_id=f"recorded-{uuid.uuid4()}", preview=preview_of(message))

    def look_up(self, reference: str) -> str | None:
        return None


def preview_of(message: Message) -> str:
    head = f"To {message.recipient} ({message.get_channel_display().lower()}), template {message.template_id}"
    wording = message.rule.preview_text if message.rule_id and message.rule else ""
    if wording:
        body = render_preview(wording, message.personalisation)
    else:
        body = "\n".join(f"(({name})): {value}" for name, value in message.personalisation.items())
    return f"{head}\n\n{body}".strip()
