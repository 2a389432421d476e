"""Booking, moving and cancelling a job's appointment through the scheduler, while the caller waits."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from scheduling.booking import book_appointment, cancel_appointment, reschedule_appointment
from scheduling.port import SchedulerError, Slot
from scheduling.queue import resolve_queue
from scheduling.selectors import live_appointment

from ..access import staff_required
from ..booking import staff_slots
from ..forms import CancelAppointmentForm, SlotForm
from ..tables import place_of
from .job import _plain_job


@staff_required
def job_book(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: a week of slots (book, or move the live appointment). POST: book or move into one."""
    job = _plain_job(request, pk)
    if not request.user.has_perm("workflows.schedule_job"):
        messages.error(request, "You do not have permission to book appointments.")
        return redirect("backoffice:job", pk=pk)
    appointment = live_appointment(job)
    if request.method == "POST":
        return _book(request, job, appointment)
    start = _start(request.GET.get("from", ""))
    offer = staff_slots(job, start=start)
    return render(
        request,
        "backoffice/book.html",
        {
            "job": job,
            "place": place_of(job),
            "appointment": appointment,
            "offer": offer,
            "next_from": offer.next_start.isoformat() if offer.next_start else "",
            "nav": "queue",
        },
    )


def _book(request: HttpRequest, job, appointment) -> HttpResponse:
    form = SlotForm(request.POST)
    if request.POST.get("contractor") == "yes":
        slot = None
    elif not form.is_valid():
        messages.error(request, "Choose an appointment.")
        return redirect("backoffice:job_book", pk=job.pk)
    else:
        try:
            slot = Slot.from_key(form.cleaned_data["slot"])
        except ValueError:
            messages.error(request, "That appointment is not on offer any more: choose another.")
            return redirect("backoffice:job_book", pk=job.pk)
    try:
        if appointment is not None and slot is not None:
            reschedule_appointment(appointment=appointment, slot=slot, by=request.user)
            messages.success(request, f"Appointment moved to {_words(slot)}.")
        else:
            booked = book_appointment(job=job, slot=slot, by=request.user)
            if booked.is_live:
                resolve_queue(job)  # booked by staff: the call-back or needs-booking entry is dealt with
            messages.success(
                request,
                f"Appointment: {booked.get_status_display().lower()}"
                + (f", {_words(slot)}." if slot else "."),
            )
    except SchedulerError as error:
        messages.error(request, error.message)
        return redirect("backoffice:job_book", pk=job.pk)
    return redirect("backoffice:job", pk=job.pk)


@staff_required
@require_POST
def job_cancel_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    job = _plain_job(request, pk)
    appointment = live_appointment(job)
    if appointment is None:
        messages.error(request, "This job has no appointment to cancel.")
        return redirect("backoffice:job", pk=pk)
    if not request.user.has_perm("workflows.unschedule_job"):
        messages.error(request, "You do not have permission to cancel appointments.")
        return redirect("backoffice:job", pk=pk)
    form = CancelAppointmentForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        cancel_appointment(appointment=appointment, by=request.user, note=note)
    except SchedulerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Appointment cancelled: the job is ready to book again.")
    return redirect("backoffice:job", pk=pk)


def _start(text: str) -> datetime.datetime | None:
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else None


def _words(slot: Slot) -> str:
    return slot.label or f"{slot.start:%-d %b %Y %H:%M} to {slot.end:%H:%M}"
