"""Which scheduler books a job, and whether a resident may choose a slot online.

The routing rule is looked up once per booking and travels with its adapter in a `Routing`.
`NotBookableOnline.reason` tells the journey which of its pages to show; the message is safe to show
a resident and never says why a home is on a call-back list.
"""

from __future__ import annotations

from dataclasses import dataclass

from repairs.models import Job

from .adapters import adapter_for
from .job_description import has_blocking_alert
from .models import Appointment, RoutingRule, SchedulerConnection, SchedulerKind
from .port import Capability, SchedulerAdapter, SchedulerError
from .selectors import rule_for_job

CALL_BACK_REASON = "Call the resident to arrange a visit"


class NotBookableOnline(SchedulerError):
    """This job is not booked by the resident choosing a slot; `reason` says what happens instead."""

    EMERGENCY = "emergency"
    CALL_BACK = "call_back"
    CONTRACTOR_ARRANGES = "contractor_arranges"
    NOT_ONLINE = "not_online"
    NO_RULE = "no_rule"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, retryable=False)
        self.reason = reason


@dataclass(frozen=True)
class Routing:
    rule: RoutingRule
    adapter: SchedulerAdapter

    @property
    def connection(self) -> SchedulerConnection:
        return self.rule.connection


def routing_for(job: Job) -> Routing:
    rule = rule_for_job(job)
    if rule is None:
        raise NotBookableOnline(
            "No routing rule covers this kind of repair yet. "
            "We will arrange the appointment and contact you.",
            reason=NotBookableOnline.NO_RULE,
        )
    return Routing(rule=rule, adapter=_adapter(rule.connection, rule))


def adapter_for_appointment(appointment: Appointment, *, rule: RoutingRule | None = None) -> SchedulerAdapter:
    """The adapter of the scheduler that holds `appointment` (its rule gives a contractor's name)."""
    if rule is None and appointment.connection.kind == SchedulerKind.CONTRACTOR:
        rule = rule_for_job(appointment.job)
    return _adapter(appointment.connection, rule)


def online_routing(job: Job) -> Routing:
    """The routing of a job a resident may book online by choosing a slot, or `NotBookableOnline`."""
    if job.priority.is_emergency:
        raise NotBookableOnline(
            "Emergencies are not booked online: call us now.", reason=NotBookableOnline.EMERGENCY
        )
    if has_blocking_alert(job):
        raise NotBookableOnline("We will call you to arrange a visit.", reason=NotBookableOnline.CALL_BACK)
    routing = routing_for(job)
    if routing.connection.kind == SchedulerKind.CONTRACTOR:
        raise NotBookableOnline(
            "This repair is arranged with you directly; you do not need to choose a time.",
            reason=NotBookableOnline.CONTRACTOR_ARRANGES,
        )
    if not routing.rule.residents_book_online or not routing.adapter.can(Capability.SLOTS):
        raise NotBookableOnline(
            "This repair is arranged with you directly; you do not need to choose a time.",
            reason=NotBookableOnline.NOT_ONLINE,
        )
    return routing


def _adapter(connection: SchedulerConnection, rule: RoutingRule | None) -> SchedulerAdapter:
    options = {}
    if connection.kind == SchedulerKind.CONTRACTOR and rule is not None:
        options = {
            "contractor_name": rule.team.name if rule.team_id else "",
            "contact_within_days": rule.contact_within_days,
        }
    return adapter_for(connection, **options)
