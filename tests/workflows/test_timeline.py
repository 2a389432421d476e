"""The resident's timeline: public events in plain words, the same for every reporter, naming nobody."""

from __future__ import annotations

import pytest

from repairs.models import JobState as S
from tests.properties.factories import CommunalAreaFactory
from tests.repairs.factories import JobFactory
from tests.repairs.reporting import report
from workflows.models import JobEvent, JobLifecycle
from workflows.selectors import job_history
from workflows.services import record_event, transition_job
from workflows.timeline import WORDING, public_timeline

from .factories import user_in_role

pytestmark = pytest.mark.django_db

REPORTERS = [
    ("Ana Ruiz", "ana.ruiz@example.invalid", "07700 900101"),
    ("Ben Cole", "ben.cole@example.invalid", "07700 900102"),
    ("Cal Dunn", "cal.dunn@example.invalid", "07700 900103"),
]
STAFF_NOTES = {
    "triage": "Caretaker says the motor smells burnt",
    "hold": "Leaseholder at flat 12 will not let us into the motor room",
}


@pytest.fixture
def communal_job():
    lift = CommunalAreaFactory(name="Lift")
    made = [
        report(communal_area=lift, contact_name=name, contact_email=email, contact_phone=phone)
        for name, email, phone in REPORTERS
    ]
    job = made[0].job
    assert all(r.job == job for r in made)
    manager = user_in_role("Repairs managers", first_name="Morag", last_name="Staffperson")
    transition_job(job, "triage", by=manager, note=STAFF_NOTES["triage"])
    transition_job(job, "schedule", by=manager)
    record_event(job, "appointment_booked", public_note="Tuesday 3 March, 8am to 12pm")
    transition_job(
        job, "hold", by=manager, note=STAFF_NOTES["hold"], public_note="Waiting for a part for the lift"
    )
    transition_job(job, "resume", by=manager)
    transition_job(job, "start_work", by=None)
    transition_job(job, "complete", by=None)
    return job


def test_a_communal_job_with_three_reporters_reads_in_order(communal_job):
    entries = public_timeline(communal_job)

    assert [(e.title, e.detail) for e in entries] == [
        ("Repair reported", WORDING["report_received"].detail),
        ("Reported by another resident", "This fault has now been reported twice."),
        ("Reported by another resident", "This fault has now been reported 3 times."),
        ("Appointment booked", "Tuesday 3 March, 8am to 12pm"),
        ("Repair on hold", "Waiting for a part for the lift"),
        ("Repair going ahead again", WORDING["resume"].detail),
        ("Work started", WORDING["start_work"].detail),
        ("Repair completed", WORDING["complete"].detail),
    ]
    assert [e.when for e in entries] == sorted(e.when for e in entries)


def test_the_timeline_names_nobody_and_shows_no_staff_note(communal_job):
    text = " ".join(f"{e.title} {e.detail}" for e in public_timeline(communal_job)).lower()

    for name, email, phone in REPORTERS:
        for secret in (*name.lower().split(), email, phone, phone.replace(" ", "")):
            assert secret not in text
    for note in STAFF_NOTES.values():
        assert note.lower() not in text
    assert "morag" not in text and "staffperson" not in text


def test_every_reporter_reads_the_same_timeline(communal_job):
    timelines = [public_timeline(r.job) for r in communal_job.reports.all()]

    assert timelines[0] and all(t == timelines[0] for t in timelines)


def test_public_history_is_the_events_residents_may_see(communal_job):
    actions = [e.action for e in job_history(communal_job, public_only=True)]

    assert "triage" not in actions and "schedule" not in actions
    assert actions[:3] == ["report_received", "neighbour_reported", "neighbour_reported"]


def test_the_timeline_is_one_query_however_long(communal_job, django_assert_num_queries):
    with django_assert_num_queries(1):
        public_timeline(communal_job)


@pytest.mark.parametrize(
    ("action", "source", "public"),
    [
        ("triage", S.REPORTED, False),
        ("schedule", S.TRIAGED, False),
        ("unschedule", S.SCHEDULED, False),
        ("hold", S.TRIAGED, True),
        ("record_no_access", S.SCHEDULED, True),
        ("complete", S.IN_PROGRESS, True),
        ("close", S.COMPLETED, True),
        ("cancel", S.REPORTED, True),
        ("reject", S.REPORTED, True),
    ],
)
def test_each_transition_is_public_or_internal_without_the_caller_saying(action, source, public):
    job = JobFactory(state=source)

    transition_job(job, action, by=None, note="Staff reason")

    assert JobEvent.objects.get(job=job, action=action).is_public is public


def test_a_caller_may_still_keep_a_public_transition_internal():
    job = JobFactory(state=S.IN_PROGRESS)

    transition_job(job, "complete", by=None, public=False)

    assert public_timeline(job) == []


def test_rejection_shows_the_public_reason_and_never_the_staff_note():
    job = JobFactory()

    transition_job(
        job,
        "reject",
        by=None,
        note="Tenant damage, recharge them",
        public_note="This is a repair the tenant is responsible for.",
    )

    [entry] = public_timeline(job)
    assert (entry.title, entry.detail) == (
        "Not a repair we can do",
        "This is a repair the tenant is responsible for.",
    )


def test_every_public_transition_has_resident_wording():
    transitions = {t.name for t in JobLifecycle._meta.get_field("state").get_all_transitions(JobLifecycle)}
    public = {
        "start_work",
        "hold",
        "resume",
        "record_no_access",
        "complete",
        "close",
        "cancel",
        "reject",
        "reopen",
    }

    assert public <= transitions
    assert public <= set(WORDING)
    assert not {"triage", "schedule", "unschedule", "merge"} & set(WORDING)
