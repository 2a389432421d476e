"""Endpoints schedulers and calendars call: DRS and Total Mobile pushes, team feeds, residents' .ics."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .calendars import appointment_file, team_feed
from .inbound import is_authenticated
from .models import Appointment, AppointmentStatus, SchedulerConnection, SchedulerKind, TeamCalendar
from .port import SchedulerError
from .services import apply_update

logger = logging.getLogger(__name__)

MAX_BODY = 256 * 1024


def _connection(pk: int, kind: str) -> SchedulerConnection:
    return get_object_or_404(SchedulerConnection, pk=pk, kind=kind, is_active=True)


def _unauthorised() -> HttpResponse:
    response = HttpResponse("Authentication required.", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Basic realm="Repairs Online scheduling"'
    return response


@csrf_exempt
@require_POST
def drs_booking_confirmation(request: HttpRequest, connection_id: int) -> HttpResponse:
    """DRS's `bookingConfirmation` push: answer with a SOAP envelope, a fault for what we cannot take."""
    from .adapters.drs import confirmation_response, parse_booking_confirmation, soap_fault

    connection = _connection(connection_id, SchedulerKind.DRS)
    if not is_authenticated(request, connection):
        return _unauthorised()
    if len(request.body) > MAX_BODY:
        return HttpResponse(soap_fault("The message is too large."), status=500, content_type="text/xml")
    try:
        for update in parse_booking_confirmation(request.body):
            apply_update(connection=connection, update=update)
    except SchedulerError as error:
        logger.warning("DRS update refused: %s", error.message)
        return HttpResponse(soap_fault(error.message), status=500, content_type="text/xml; charset=utf-8")
    return HttpResponse(confirmation_response(True), content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_POST
def totalmobile_visit_status(request: HttpRequest, connection_id: int) -> HttpResponse:
    from .adapters.totalmobile import parse_visit_status

    connection = _connection(connection_id, SchedulerKind.TOTALMOBILE)
    if not is_authenticated(request, connection):
        return _unauthorised()
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "The message is too large."}, status=413)
    try:
        for update in parse_visit_status(request.body):
            apply_update(connection=connection, update=update)
    except SchedulerError as error:
        logger.warning("Total Mobile update refused: %s", error.message)
        return JsonResponse({"error": error.message}, status=400)
    return JsonResponse({"status": "ok"})


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
