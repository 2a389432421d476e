"""Hazard cases: Day 0 from the first report by any channel, staff actions meeting each clock, breaches
recorded, the emergency review, the resident's timeline and the Notify outbox."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from notifications.models import Message
from repairs.models import Channel, Priority, Report
from tests.properties.factories import PropertyFactory
from tests.repairs.factories import TradeFactory
from tests.repairs.reporting import report
from workflows.errors import TransitionNotPermitted
from workflows.hazards import services
from workflows.hazards.models import HazardCase, Stage
from workflows.hazards.selectors import hazard_queue, hazard_stage_compliance
from workflows.models import JobEvent
from workflows.timeline import public_timeline

from .factories import UserFactory, user_in_role

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def london(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=LONDON)


def damp_report(**overrides) -> Report:
    values = {
        "property": PropertyFactory(),
        "trade": TradeFactory(code="DM"),
        "priority": Priority.objects.get(code="DMI"),
        "description": "Black mould on the bedroom wall behind the cot",
    }
    values.update(overrides)
    return report(**values)


@pytest.fixture
def manager():
    return user_in_role("Repairs managers", email="manager@example.invalid")


def stage(case: HazardCase, name: str):
    return case.stages.get(stage=name)


@pytest.mark.parametrize("channel", [Channel.ONLINE, Channel.PHONE, Channel.API, Channel.STAFF])
def test_a_damp_and_mould_report_starts_day_0_at_the_report_time_whatever_the_channel(channel):
    filed = damp_report(channel=channel)

    case = HazardCase.objects.get(job=filed.job)
    assert case.aware_at == filed.created_at
    assert case.first_report == filed
    assert case.kind.code == "damp-and-mould"
    investigation = stage(case, Stage.INVESTIGATION)
    assert investigation.starts_at == filed.created_at
    assert investigation.due_at > filed.created_at
    assert not case.stages.exclude(stage=Stage.INVESTIGATION).exists()


def test_a_report_with_another_priority_opens_no_case():
    filed = report(property=PropertyFactory())
    assert not HazardCase.objects.filter(job=filed.job).exists()


def test_the_outcome_s_hazard_kind_in_the_diagnosis_opens_the_case_whatever_the_priority():
    filed = report(
        property=PropertyFactory(),
        diagnosis=[{"question": "Which?", "answer": "Mould"}, {"hazard_kind": "damp-and-mould"}],
    )
    assert HazardCase.objects.get(job=filed.job).kind.code == "damp-and-mould"


def test_a_household_at_risk_puts_the_case_up_for_emergency_review():
    filed = damp_report(diagnosis=[{"hazard_kind": "damp-and-mould", "household_at_risk": True}])
    case = HazardCase.objects.get(job=filed.job)
    assert case.needs_emergency_review
    assert hazard_queue().first() == case
    assert JobEvent.objects.filter(job=filed.job, action="hazard_emergency_review", is_public=False).exists()


def test_an_emergency_report_runs_24_hour_investigation_and_safety_clocks():
    filed = damp_report(priority=Priority.objects.get(code="DME"))
    case = HazardCase.objects.get(job=filed.job)
    day_0 = filed.created_at
    assert case.kind.is_emergency
    assert stage(case, Stage.INVESTIGATION).due_at == day_0 + datetime.timedelta(hours=24)
    assert stage(case, Stage.SAFETY_WORKS).due_at == day_0 + datetime.timedelta(hours=24)


def test_the_resident_reads_when_we_will_inspect():
    filed = damp_report()
    entries = public_timeline(filed.job)
    assert [e.title for e in entries] == ["Repair reported", "We will inspect the problem"]
    due = stage(filed.job.hazard_case, Stage.INVESTIGATION).due_at.astimezone(LONDON)
    assert entries[1].detail == f"We will inspect the problem by the end of {due:%A} {due.day} {due:%B %Y}."


def test_treating_a_case_as_an_emergency_moves_its_clocks_to_24_hours_from_day_0(manager):
    filed = damp_report(diagnosis=[{"hazard_kind": "damp-and-mould", "household_at_risk": True}])
    case = filed.job.hazard_case

    services.treat_as_emergency(case, by=manager, note="A baby sleeps in the room with the mould.")

    case.refresh_from_db()
    assert case.kind.code == "emergency-hazard" and not case.needs_emergency_review
    assert stage(case, Stage.INVESTIGATION).due_at == filed.created_at + datetime.timedelta(hours=24)
    assert stage(case, Stage.SAFETY_WORKS).due_at == filed.created_at + datetime.timedelta(hours=24)
    filed.job.refresh_from_db()
    assert filed.job.priority.code == "DME"
    assert public_timeline(filed.job)[-1].title == "Treated as an emergency"


def test_keeping_a_case_significant_needs_a_reason_and_clears_the_review(manager):
    case = damp_report(diagnosis=[{"household_at_risk": True}]).job.hazard_case
    with pytest.raises(services.HazardActionRefused):
        services.keep_as_significant(case, by=manager, note=" ")
    services.keep_as_significant(case, by=manager, note="Small patch by the window; no one at risk.")
    case.refresh_from_db()
    assert not case.needs_emergency_review


def test_staff_without_the_permission_cannot_record_an_action():
    case = damp_report().job.hazard_case
    agent = user_in_role("Contact-centre agents")
    with pytest.raises(TransitionNotPermitted):
        services.record_investigation(case, by=agent, findings="Mould", hazard_found=True)


def test_the_investigation_starts_the_summary_safety_and_preventative_clocks(manager):
    case = damp_report().job.hazard_case
    friday_night = london(2099, 1, 2, 23, 59)  # Friday 2 January 2099

    services.record_investigation(
        case,
        by=manager,
        findings="Condensation mould; extractor fan broken.",
        hazard_found=True,
        preventative_needed=True,
        at=friday_night,
    )

    case.refresh_from_db()
    assert case.hazard_found and stage(case, Stage.INVESTIGATION).met_by == manager
    # Day one is Monday 5 January 2099.
    assert stage(case, Stage.SUMMARY).due_at == london(2099, 1, 7, 23, 59, 59)
    assert stage(case, Stage.SAFETY_WORKS).due_at == london(2099, 1, 9, 23, 59, 59)
    assert stage(case, Stage.PREVENTATIVE_WORKS).due_at == london(2099, 1, 9, 23, 59, 59)


def test_no_hazard_found_closes_an_emergency_s_safety_works_as_not_needed(manager):
    case = damp_report(priority=Priority.objects.get(code="DME")).job.hazard_case
    services.record_investigation(case, by=manager, findings="Dry; a stain only.", hazard_found=False)
    works = stage(case, Stage.SAFETY_WORKS)
    assert works.not_needed and works.is_met
    assert case.stages.filter(stage=Stage.SUMMARY, met_at__isnull=True).exists()


def test_the_written_summary_is_recorded_sent_shown_and_queued_for_notify(manager):
    filed = damp_report(contact_email="resident@example.invalid")
    case = filed.job.hazard_case
    services.record_investigation(
        case, by=manager, findings="Mould from a leaking gutter.", hazard_found=True
    )
    summary = (
        "We found mould caused by a leaking gutter. We will clear and repair the gutter and treat the wall."
    )

    sent = services.send_written_summary(case, by=manager, summary=summary)

    assert sent.met_at is not None and not sent.is_breached()
    entry = public_timeline(filed.job)[-1]
    assert (entry.title, entry.detail) == ("Written summary sent", summary)
    message = Message.objects.get(job=filed.job, purpose="hazard_summary_sent")
    assert message.recipient == "resident@example.invalid"
    assert message.personalisation["public_note"] == summary


def test_a_stage_met_late_is_recorded_as_breached(manager):
    case = damp_report().job.hazard_case
    investigation = stage(case, Stage.INVESTIGATION)
    late = investigation.due_at + datetime.timedelta(hours=1)

    services.record_investigation(case, by=manager, findings="Mould", hazard_found=True, at=late)

    investigation.refresh_from_db()
    assert investigation.breached_at == investigation.due_at
    assert investigation.is_breached()


def test_preventative_works_may_take_longer_only_with_a_reason_and_before_the_usual_time_runs_out(manager):
    case = damp_report().job.hazard_case
    done = case.aware_at + datetime.timedelta(minutes=5)
    services.record_investigation(
        case,
        by=manager,
        findings="Wall insulation failed.",
        hazard_found=True,
        preventative_needed=True,
        at=done,
    )
    works = stage(case, Stage.PREVENTATIVE_WORKS)
    usual = works.due_at

    with pytest.raises(services.HazardActionRefused):
        services.extend_preventative_works(case, by=manager, reason="")
    with pytest.raises(services.HazardActionRefused, match="stays recorded as missed"):
        services.extend_preventative_works(
            case, by=manager, reason="Scaffold needed", now=usual + datetime.timedelta(seconds=1)
        )
    services.extend_preventative_works(case, by=manager, reason="Scaffold needed for the outside wall.")

    works.refresh_from_db()
    assert works.due_at > usual
    assert (works.due_at.date() - works.starts_at.astimezone(LONDON).date()).days == 84
    assert works.extended_reason == "Scaffold needed for the outside wall."


def test_the_case_closes_when_every_stage_is_recorded(manager):
    case = damp_report().job.hazard_case
    services.record_investigation(case, by=manager, findings="Mould", hazard_found=True)
    services.send_written_summary(case, by=manager, summary="Mould found; we will treat it.")
    services.record_safety_works(case, by=manager, evidence="Mould treated, fan replaced.")
    case.refresh_from_db()
    assert case.closed_at is not None
    assert case not in hazard_queue()
    with pytest.raises(services.HazardActionRefused):
        services.record_alternative_accommodation(case, by=manager, note="Hotel")


def test_clock_alerts_at_half_and_80_percent_and_the_breach_are_recorded_once_each(manager):
    filed = damp_report()
    case = filed.job.hazard_case
    investigation = stage(case, Stage.INVESTIGATION)
    span = investigation.due_at - investigation.starts_at

    assert services.alert_stage(investigation.pk, now=investigation.starts_at + span * 0.4) == []
    half = services.alert_stage(investigation.pk, now=investigation.starts_at + span * 0.55)
    again = services.alert_stage(investigation.pk, now=investigation.starts_at + span * 0.6)
    most = services.alert_stage(investigation.pk, now=investigation.starts_at + span * 0.85)
    breached = services.alert_stage(
        investigation.pk, now=investigation.due_at + datetime.timedelta(minutes=1)
    )
    after = services.alert_stage(investigation.pk, now=investigation.due_at + datetime.timedelta(days=1))

    assert [a.kind for a in half + again + most + breached + after] == ["half", "most", "breached"]
    investigation.refresh_from_db()
    assert investigation.breached_at == investigation.due_at
    events = JobEvent.objects.filter(job=filed.job, action__startswith="hazard_clock").order_by("id")
    assert [e.action for e in events] == ["hazard_clock_alert", "hazard_clock_alert", "hazard_clock_breached"]
    assert not any(e.is_public for e in events)
    assert "50% of the time has gone" in events[0].note
    staff = Message.objects.filter(job=filed.job, audience="staff", purpose__startswith="hazard_clock")
    assert set(staff.values_list("recipient", flat=True)) == {"manager@example.invalid"}
    assert staff.count() == 3


def test_the_beat_task_alerts_only_clocks_with_news():
    from workflows.hazards.tasks import watch_hazard_clocks

    case = damp_report().job.hazard_case
    assert watch_hazard_clocks() == 0
    investigation = stage(case, Stage.INVESTIGATION)
    investigation.starts_at = timezone.now() - (investigation.due_at - timezone.now())  # half gone now
    investigation.save()
    assert watch_hazard_clocks() == 1
    assert watch_hazard_clocks() == 0


def test_compliance_counts_each_stage_in_time_late_and_overdue(manager):
    on_time = damp_report().job.hazard_case
    late = damp_report().job.hazard_case
    overdue = damp_report().job.hazard_case
    services.record_investigation(on_time, by=manager, findings="Mould", hazard_found=True)
    late_at = stage(late, Stage.INVESTIGATION).due_at + datetime.timedelta(hours=2)
    services.record_investigation(late, by=manager, findings="Mould", hazard_found=True, at=late_at)
    now = stage(overdue, Stage.INVESTIGATION).due_at + datetime.timedelta(days=1)

    rows = {
        row.stage: row for row in hazard_stage_compliance(london(2000, 1, 1), london(2200, 1, 1), now=now)
    }

    investigation = rows[Stage.INVESTIGATION]
    assert (
        investigation.due,
        investigation.met_in_time,
        investigation.met_late,
        investigation.open_overdue,
    ) == (
        3,
        1,
        1,
        1,
    )
    assert investigation.rate == pytest.approx(1 / 3)
    assert rows[Stage.PREVENTATIVE_WORKS].due == 0 and rows[Stage.PREVENTATIVE_WORKS].rate is None


def test_a_second_report_on_the_same_job_keeps_day_0(manager):
    area_reports = damp_report()
    case = area_reports.job.hazard_case
    services.open_hazard_case(
        job=area_reports.job, kind=case.kind, aware_at=timezone.now() + datetime.timedelta(days=3)
    )
    case.refresh_from_db()
    assert case.aware_at == area_reports.created_at
    assert HazardCase.objects.filter(job=area_reports.job).count() == 1


def test_repairs_managers_hold_the_hazard_permission():
    group = Group.objects.get(name="Repairs managers")
    assert group.permissions.filter(codename="manage_hazard_case").exists()
    assert not UserFactory().has_perm(services.PERMISSION)
