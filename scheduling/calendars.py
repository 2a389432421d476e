"""iCalendar documents: a team's feed of visits and a resident's own appointment.

Neither holds a resident's name or phone number: the feed is for operatives' phones (an unguessable
URL, but a URL all the same), and the resident's file says only what, when and where.
"""

from __future__ import annotations

import datetime

import icalendar
from django.utils import timezone

from .models import Appointment, CalendarBooking, TeamCalendar

PRODID = "-//Repairs Online//Scheduling//EN"
UID_DOMAIN = "repairs-online"


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    return calendar


def team_feed(team_calendar: TeamCalendar, *, days_back: int = 30) -> bytes:
    since = timezone.now() - datetime.timedelta(days=days_back)
    calendar = _calendar(f"{team_calendar.team.name} visits")
    rows = (
        CalendarBooking.objects.filter(
            operative__team=team_calendar.team, is_cancelled=False, ends_at__gte=since
        )
        .select_related("operative")
        .order_by("starts_at")
    )
    for row in rows:
        event = icalendar.Event()
        event.add("uid", f"{row.job_reference}-{row.pk}@{UID_DOMAIN}")
        event.add("dtstamp", row.created_at)
        event.add("dtstart", row.starts_at)
        event.add("dtend", row.ends_at)
        event.add("summary", f"{row.trade} {row.job_reference} ({row.operative.name})")
        if row.address:
            event.add("location", row.address)
        calendar.add_component(event)
    return calendar.to_ical()


def appointment_file(appointment: Appointment) -> bytes:
    calendar = _calendar("Repair appointment")
    event = icalendar.Event()
    event.add("uid", f"appointment-{appointment.pk}@{UID_DOMAIN}")
    event.add("dtstamp", appointment.updated_at)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", f"Repair appointment: {appointment.job.trade.name}")
    event.add(
        "description",
        "Someone from the repairs team will arrive during this time. Please make sure an adult is at home.",
    )
    calendar.add_component(event)
    return calendar.to_ical()
