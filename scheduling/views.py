"""Endpoints schedulers and calendars call: one inbound path for every scheduler's pushes, team
feeds, residents' .ics.

Every push goes the same way: the connection (by id) must be active and able to push, its inbound
secret must match, the body is size-limited, the adapter parses it (`parse_inbound`), each update is
applied, and the adapter words the reply in its vendor's form (`inbound_response`: JSON, SOAP, text).
A push that cannot be applied changes nothing (one transaction), so the scheduler may send it again.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .adapters import adapter_for
from .calendars import appointment_file, team_feed
from .inbound import is_authenticated
from .inbound_updates import apply_update
from .models import Appointment, AppointmentStatus, SchedulerConnection, TeamCalendar
from .port import Capability, SchedulerAdapter, SchedulerError

logger = logging.getLogger(__name__)

MAX_BODY = 256 * 1024
TOO_LARGE = "The message is too large."


def _unauthorised() -> HttpResponse:
    response = HttpResponse("Authentication required.", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Basic realm="Repairs Online scheduling"'
    return response


def _reply(
    adapter: SchedulerAdapter, ok: bool, message: str = "", *, status: int | None = None
) -> HttpResponse:
    body, content_type, vendor_status = adapter.inbound_response(ok, message)
    return HttpResponse(body, content_type=content_type, status=status or vendor_status)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt
@require_POST
def inbound(request: HttpRequest, connection_id: int, kind: str | None = None) -> HttpResponse:
    """A scheduler's push. `kind` is set by the older per-vendor URLs, kept as aliases."""
    filters = {"pk": connection_id, "is_active": True}
    if kind:
        filters["kind"] = kind
    connection = get_object_or_404(SchedulerConnection, **filters)
    adapter = adapter_for(connection)
    if not adapter.can(Capability.INBOUND):
        raise Http404("This scheduler sends us no updates.")
    if not is_authenticated(request, connection):
        return _unauthorised()
    if _declared_length(request) > MAX_BODY:
        return _reply(adapter, False, TOO_LARGE, status=413)
    body = request.body
    if len(body) > MAX_BODY:
        return _reply(adapter, False, TOO_LARGE, status=413)
    try:
        with transaction.atomic():
            for update in adapter.parse_inbound(body, request.content_type or ""):
                apply_update(connection=connection, update=update)
    except SchedulerError as error:
        logger.warning("%s update refused: %s", connection, error.message)
        return _reply(adapter, False, error.message)
    return _reply(adapter, True)


@never_cache
@require_GET
def team_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    calendar = get_object_or_404(TeamCalendar.objects.select_related("team"), feed_token=token)
    response = HttpResponse(team_feed(calendar), content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def appointment_calendar_file(request: HttpRequest, token: str) -> HttpResponse:
    appointment = get_object_or_404(Appointment.objects.select_related("job__trade"), calendar_token=token)
    if appointment.status != AppointmentStatus.BOOKED or not appointment.starts_at:
        raise Http404("This appointment has no booked time.")
    response = HttpResponse(appointment_file(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="repair-appointment.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
