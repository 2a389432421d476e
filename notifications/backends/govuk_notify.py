"""GOV.UK Notify through notifications-python-client, its errors sorted into retry or give up.

Sorting follows Notify's documented errors: 429 RateLimitError and any 5xx (a connection failure
or timeout reads as 503 in the client) are retried with backoff; 429 TooManyRequestsError (the
daily limit), 400 and 403 are not. Branch on status code and error type, never on message text.
"""

from __future__ import annotations

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from notifications.models import Channel, Message

from .base import Delivery, SendError


class GovukNotifyBackend:
    name = "govuk_notify"
    can_look_up = True
    counts_against_rate_limit = True

    def __init__(self, *, api_key: str, base_url: str, timeout: float) -> None:
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)

    def send(self, message: Message) -> Delivery:
        try:
            if message.channel == Channel.EMAIL:
                response = self.client.send_email_notification(
                    email_address=message.recipient,
                    template_id=message.template_id,
                    personalisation=message.personalisation or None,
                    reference=message.reference,
                    sanitise_content_for=message.sanitise_fields or None,
                )
            else:
                response = self.client.send_sms_notification(
                    phone_number=message.recipient,
                    template_id=message.template_id,
                    personalisation=message.personalisation or None,
                    reference=message.reference,
                )
        except APIError as error:
            raise classify(error) from error
        return Delivery(notify_id=str(response["id"]))

    def look_up(self, reference: str) -> str | None:
        try:
            found = self.client.get_all_notifications(reference=reference)
        except APIError as error:
            raise classify(error) from error
        notifications = found.get("notifications") or []
        return str(notifications[0]["id"]) if notifications else None


def classify(error: APIError) -> SendError:
    status = error.status_code
    kinds = error_types(error)
    text = f"Notify answered {status}: {describe(error)}"
    if status == 429:
        if "TooManyRequestsError" in kinds:
            return SendError(f"{text} (the daily limit: not retried today)", retryable=False)
        return SendError(text, retryable=True)
    if status >= 500:
        return SendError(text, retryable=True, uncertain=True)
    return SendError(text, retryable=False)


def error_types(error: APIError) -> set[str]:
    body = error.message
    if isinstance(body, list):
        return {str(item.get("error", "")) for item in body if isinstance(item, dict)}
    return set()


def describe(error: APIError) -> str:
    body = error.message
    if isinstance(body, list):
        return "; ".join(f"{item.get('error', '')}: {item.get('message', '')}" for item in body)
    return str(body)
