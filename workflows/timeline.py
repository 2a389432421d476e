"""What residents read on the status page: the public events of a job, in words a resident understands.

`WORDING` is the one place that says which actions residents see and how each reads. An action with
wording here is public by default, whoever records it (`transition_job` and `record_event` look it up
when the caller does not say), so the back office, the scheduler and the APIs cannot forget. An
action missing from it (triage, schedule, merge, priority changes) stays internal unless a caller
insists. Staff notes (`JobEvent.note`) and who acted are never read here: an entry shows the time, the
wording's title, and the event's `public_note` (a visit time, a public reason) or the wording's detail.
Editors may later override these words; keep them in this dict so there is one thing to override. The
words are marked for translation and read in the language of the page (docs/welsh.md); a public note is
shown as it was recorded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from repairs.models import Job

from .selectors import job_history


@dataclass(frozen=True)
class Wording:
    title: str
    detail: str = ""  # shown when the event carries no public note of its own


WORDING: dict[str, Wording] = {
    "report_received": Wording(
        _("Repair reported"), _("We have received the report and will check what is needed.")
    ),
    "neighbour_reported": Wording(
        _("Reported by another resident"),
        _(
            "Someone else has reported the same fault. It is one repair, and everyone who reported it "
            "gets the same updates."
        ),
    ),
    "merge_in": Wording(
        _("Reports joined together"), _("Other reports of the same fault have been joined to this repair.")
    ),
    "appointment_booked": Wording(_("Appointment booked"), _("We have booked a visit to do the repair.")),
    "appointment_moved": Wording(_("Appointment changed"), _("The visit has moved to a new time.")),
    "appointment_cancelled": Wording(
        _("Appointment cancelled"), _("The visit has been cancelled. We will arrange another one.")
    ),
    "contractor_will_contact": Wording(
        _("A contractor will contact you"),
        _("The contractor doing this repair will get in touch to arrange a visit."),
    ),
    "operative_on_the_way": Wording(_("Operative on the way"), _("The operative is on the way.")),
    "operative_arrived": Wording(_("Operative arrived"), _("The operative has arrived.")),
    "start_work": Wording(_("Work started"), _("Work on the repair has started.")),
    "record_no_access": Wording(
        _("We could not get in"),
        _(
            "The operative could not get in to do the repair. We will contact you to arrange another "
            "visit, or you can call us to rebook."
        ),
    ),
    "hold": Wording(
        _("Repair on hold"),
        _(
            "The repair is waiting for something before it can go ahead, such as parts. We will update "
            "you when it moves on."
        ),
    ),
    "resume": Wording(_("Repair going ahead again"), _("The repair is no longer on hold.")),
    "complete": Wording(
        _("Repair completed"), _("The work has been done. If the problem comes back soon, tell us.")
    ),
    "follow_on_raised": Wording(
        _("More work needed"),
        _(
            "Another visit is needed to finish the repair, for example by another trade or to fit "
            "parts. We will be in touch to arrange it."
        ),
    ),
    "recall_reported": Wording(
        _("Reported as not fixed"), _("We have been told the repair did not last. We will put it right.")
    ),
    "close": Wording(_("Repair closed"), _("We have checked the work and closed this repair.")),
    "reopen": Wording(
        _("Repair reopened"),
        _("This repair was closed by mistake. We will close it again when it is finished."),
    ),
    "cancel": Wording(_("Repair cancelled"), _("This repair has been cancelled.")),
    "reject": Wording(_("Not a repair we can do"), _("This is not a repair the council does.")),
    # Awaab's Law hazard cases (workflows.hazards.services): each step the law sets a time for.
    "hazard_case_opened": Wording(
        _("We will inspect the problem"), _("The law sets a time for us to inspect it. We will be in touch.")
    ),
    "hazard_treated_as_emergency": Wording(
        _("Treated as an emergency"),
        _("We are treating this as an emergency and will make your home safe quickly."),
    ),
    "hazard_investigated": Wording(
        _("Inspection done"),
        _("We have inspected the problem. We will send you a written summary of what we found."),
    ),
    "hazard_summary_sent": Wording(
        _("Written summary sent"),
        _("We have sent you a written summary of what we found and what we will do."),
    ),
    "hazard_made_safe": Wording(_("Home made safe"), _("The work to make your home safe has been done.")),
    "hazard_further_work_started": Wording(
        _("Work to stop it coming back has started"),
        _("We have started the further work to stop the problem coming back."),
    ),
    "hazard_further_work_later": Wording(
        _("Further work needs more time"),
        _("The further work needs more time to arrange. We will tell you when it starts."),
    ),
    "hazard_alternative_offered": Wording(
        _("Somewhere else to stay offered"),
        _("We have offered you somewhere else to stay while we make your home safe."),
    ),
}

PUBLIC_ACTIONS = frozenset(WORDING)


def is_public_by_default(action: str) -> bool:
    return action in PUBLIC_ACTIONS


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.datetime
    title: str
    detail: str


def public_timeline(job: Job) -> list[TimelineEntry]:
    """The job's public events, oldest first, with those of its follow-ons and recalls (one query).

    Every reporter of a communal job follows the same job, so all of them read the same timeline.
    """
    entries = []
    for event in job_history(job, public_only=True, with_follow_ups=True):
        wording = WORDING.get(event.action)
        if wording is None and not event.public_note:
            continue  # made public by a caller, but with nothing a resident could read
        entries.append(
            TimelineEntry(
                when=event.occurred_at,
                title=str(wording.title) if wording else gettext("Update"),
                detail=event.public_note or (str(wording.detail) if wording else ""),
            )
        )
    return entries
