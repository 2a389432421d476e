"""The repair lifecycle: the transitions of `Job.state`, the event log, and council closure days.

Where the transitions live
--------------------------
django-fsm finds transitions by looking at the methods of a model class when the class is prepared,
and keeps them per class. `repairs.Job` declares the state field (protected, with optimistic
concurrency from `ConcurrentTransitionMixin`) but no transitions, so `repairs` holds the case and
none of the rules. `JobLifecycle` is a proxy of `Job`: the same table and rows, a different class,
and it carries every `@transition`. Because it is a proxy of a model that already has the FSM field,
django-fsm-2 4.2.4 collects these methods for `JobLifecycle` (its `class_prepared` hook accepts any
subclass of the field's model) and `ConcurrentTransitionMixin` still guards the UPDATE on the
concrete table. The custom permissions belong to the proxy's content type, so they read
`workflows.triage_job` and so on.

Callers never call these methods directly: `workflows.services.transition_job` locks the row, checks
the permission, calls the method, saves, records a `JobEvent` and sends `job_transitioned` after commit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import GET_STATE, transition
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from repairs.models import Job, JobState

S = JobState

# Codename, description. Each transition below names exactly one of these.
TRANSITION_PERMISSIONS = [
    ("triage_job", "Can triage a job"),
    ("schedule_job", "Can schedule a job"),
    ("unschedule_job", "Can send a job back to be booked"),
    ("start_work", "Can start work on a job"),
    ("hold_job", "Can put a job on hold"),
    ("resume_job", "Can resume a job on hold"),
    ("record_no_access", "Can record no access"),
    ("complete_job", "Can complete a job"),
    ("close_job", "Can close a job"),
    ("cancel_job", "Can cancel a job"),
    ("reject_job", "Can reject a job"),
    ("merge_job", "Can merge one job into another"),
    ("reopen_job", "Can reopen a job closed in error"),
]


def is_emergency(job: Job) -> bool:
    """Emergencies may skip triage and scheduling: someone is sent straight away."""
    return job.priority.is_emergency


def has_merge_target(job: Job) -> bool:
    return job.merged_into_id is not None and job.merged_into_id != job.pk


def state_before_hold(job: Job) -> str:
    """Resuming returns the job to where it was put on hold from (triaged when that is unknown)."""
    event = job.events.filter(to_state=S.ON_HOLD).order_by("-occurred_at", "-id").first()
    if event and event.from_state in RESUMABLE_STATES:
        return event.from_state
    return S.TRIAGED


HOLDABLE_STATES = [S.TRIAGED, S.SCHEDULED, S.IN_PROGRESS]
RESUMABLE_STATES = HOLDABLE_STATES


class JobLifecycle(Job):
    """A `Job` seen through its lifecycle: the transitions, their conditions and permissions.

    `custom["needs_note"]` marks transitions that must say why (the note is recorded on the event);
    `custom["asks_public_reason"]` those that also take a reason residents read (`public_note`), kept
    apart from the staff note; `custom["label"]` is the button text the back office shows. Whether a
    transition shows on the resident's timeline is decided in one place, `workflows.timeline`.
    """

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = TRANSITION_PERMISSIONS
        verbose_name = "job lifecycle"

    @transition(
        field="state",
        source=[S.REPORTED, S.NO_ACCESS],
        target=S.TRIAGED,
        permission="workflows.triage_job",
        custom={"label": "Triage"},
    )
    def triage(self) -> None:
        """Checked by staff: right trade, priority and size; ready to book (again, after no access)."""

    @transition(
        field="state",
        source=[S.REPORTED, S.TRIAGED, S.NO_ACCESS],
        target=S.SCHEDULED,
        permission="workflows.schedule_job",
        custom={"label": "Schedule"},
    )
    def schedule(self) -> None:
        """An appointment is booked (online bookings may schedule a routine job straight from reported)."""

    @transition(
        field="state",
        source=S.SCHEDULED,
        target=S.TRIAGED,
        permission="workflows.unschedule_job",
        custom={"label": "Book again"},
    )
    def unschedule(self) -> None:
        """The appointment ended without a visit (cancelled by staff, the resident or the scheduler)."""

    @transition(
        field="state",
        source=S.SCHEDULED,
        target=S.IN_PROGRESS,
        permission="workflows.start_work",
        custom={"label": "Start work"},
    )
    @transition(
        field="state",
        source=[S.REPORTED, S.TRIAGED],
        target=S.IN_PROGRESS,
        conditions=[is_emergency],
        permission="workflows.start_work",
        custom={"label": "Start work"},
    )
    def start_work(self) -> None:
        """Work starts at the booked visit, or at once for an emergency."""

    @transition(
        field="state",
        source=HOLDABLE_STATES,
        target=S.ON_HOLD,
        permission="workflows.hold_job",
        custom={"label": "Put on hold", "needs_note": True, "asks_public_reason": True},
    )
    def hold(self) -> None:
        """Waiting for something outside the job: parts, another trade, a leaseholder's consent."""

    @transition(
        field="state",
        source=S.ON_HOLD,
        target=GET_STATE(state_before_hold, states=RESUMABLE_STATES),
        permission="workflows.resume_job",
        custom={"label": "Resume"},
    )
    def resume(self) -> None:
        """Back to the state the job was held from."""

    @transition(
        field="state",
        source=[S.SCHEDULED, S.IN_PROGRESS],
        target=S.NO_ACCESS,
        permission="workflows.record_no_access",
        custom={"label": "No access"},
    )
    def record_no_access(self) -> None:
        """The operative could not get in; the job goes back for rebooking."""

    @transition(
        field="state",
        source=S.IN_PROGRESS,
        target=S.COMPLETED,
        permission="workflows.complete_job",
        custom={"label": "Complete"},
    )
    def complete(self) -> None:
        """The operative says the work is done; reports count completions from `completed_at`."""
        self.completed_at = timezone.now()

    @transition(
        field="state",
        source=S.COMPLETED,
        target=S.CLOSED,
        permission="workflows.close_job",
        custom={"label": "Close"},
    )
    def close(self) -> None:
        """The council accepts the work (and its cost); a new report makes a new job from now on."""
        self.closed_at = timezone.now()

    @transition(
        field="state",
        source=S.CLOSED,
        target=S.COMPLETED,
        permission="workflows.reopen_job",
        custom={"label": "Reopen", "needs_note": True},
    )
    def reopen(self) -> None:
        """Closed in error (before its cost was checked, say): back to completed, to be closed again.

        Not for work that failed: that is a recall (`workflows.linked_jobs.report_recall`), and more
        work is a follow-on, so first-time-fix figures stay honest. The work was still done when it
        was first completed, so `completed_at` stands.
        """
        self.closed_at = None

    @transition(
        field="state",
        source=[S.REPORTED, S.TRIAGED, S.SCHEDULED, S.ON_HOLD, S.NO_ACCESS],
        target=S.CANCELLED,
        permission="workflows.cancel_job",
        custom={"label": "Cancel", "needs_note": True, "asks_public_reason": True},
    )
    def cancel(self) -> None:
        """No longer wanted (the resident fixed it, reported by mistake). Not once work has started."""

    @transition(
        field="state",
        source=[S.REPORTED, S.TRIAGED],
        target=S.REJECTED,
        permission="workflows.reject_job",
        custom={"label": "Reject", "needs_note": True, "asks_public_reason": True},
    )
    def reject(self) -> None:
        """Not the council's to repair, or not a repair."""

    @transition(
        field="state",
        source=[S.REPORTED, S.TRIAGED, S.SCHEDULED, S.ON_HOLD, S.NO_ACCESS],
        target=S.MERGED,
        conditions=[has_merge_target],
        permission="workflows.merge_job",
        custom={"label": "Merge", "internal": True},
    )
    def merge(self) -> None:
        """A duplicate of another job; only `workflows.services.merge_jobs` calls this."""


class JobEvent(models.Model):
    """One entry in a job's history. Public entries feed the resident's status page; internal ones do not."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the system (for example an update from the scheduler).",
    )
    actor_name = models.CharField(
        max_length=150, blank=True, help_text="Kept so the history still reads right if the user is removed."
    )
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=JobState.choices)
    to_state = models.CharField(max_length=20, choices=JobState.choices)
    note = models.TextField(blank=True, help_text="For staff only; never shown to residents.")
    is_public = models.BooleanField(default=False, help_text="Shown to residents on the status page.")
    public_note = models.TextField(
        blank=True,
        help_text="What residents read beside the event (a public reason, a visit time); never a name.",
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["job", "occurred_at"], name="jobevent_job_time")]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"


class ClosureDay(models.Model):
    """A day the council is closed besides bank holidays (for example between Christmas and New Year)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=150)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.reason}"


def default_recall_days() -> int:
    return getattr(settings, "REPAIR_RECALL_DAYS", 30)


@register_setting(icon="time")
class LifecycleSettings(BaseGenericSetting):
    """The lifecycle's periods, edited by repairs managers under Settings in the admin (one row)."""

    recall_days = models.PositiveIntegerField(
        default=default_recall_days,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="A repair that fails within this many days of completion is a recall, not a new repair.",
    )
    attention_after_days = models.PositiveIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=(
            "A job on hold or with no access for longer than this is shown to staff as needing "
            "attention when another resident reports it."
        ),
    )

    panels = [FieldPanel("recall_days"), FieldPanel("attention_after_days")]

    class Meta:
        verbose_name = "repair lifecycle settings"


# Awaab's Law hazard cases live in their own package; importing them here makes them models of this app.
from .hazards.models import HazardCase, HazardKind, HazardStage  # noqa: E402, F401
