"""The endpoint Notify calls with delivery receipts.

Notify sends `Authorization: Bearer <the token set on the service's callback>`; the token is compared
in constant time. Notify retries only on 5xx and 429, so a receipt we cannot use is answered 400 and
one for a message we do not know is answered 200 (retrying would not help either).
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .receipts import BadReceipt, apply_receipt

logger = logging.getLogger(__name__)


def bearer_token_matches(request: HttpRequest) -> bool:
    expected = settings.NOTIFY_CALLBACK_TOKEN
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@csrf_exempt
@require_POST
def delivery_receipt(request: HttpRequest) -> JsonResponse:
    if not bearer_token_matches(request):
        return JsonResponse({"error": "A valid bearer token is required."}, status=401)
    try:
        payload = json.loads(request.body or b"null")
        message = apply_receipt(payload)
    except (ValueError, BadReceipt) as error:
        return JsonResponse({"error": str(error)}, status=400)
    if message is None:
        logger.info("Delivery receipt for a message we do not know: %s", payload.get("reference"))
        return JsonResponse({"result": "unknown message"})
    return JsonResponse({"result": "recorded", "status": message.status})
