"""The audit trail: a copy of every saved version of the things staff change, with who and when.

django-simple-history keeps the versions (a `Historical<Model>` table each, all in this app so no other app's
models change). Tracked: jobs, the set-up data (trades, priorities, SoR codes, teams, routing and
notification rules, scheduler connections less their secrets, calendars, closure days, hazard kinds),
staff teams, users (less the password) and groups with their permissions. Who made a change comes from
the request (`HistoryRequestMiddleware`); a change made by a task or a command has no user.

Two things differ from the library's defaults:
- `Job.state` is a protected FSMField (only transitions set it). Its copy in the history is a plain
  text column, so a history row is never a second way to write a state back, and the history tables
  carry no transitions.
- Lifecycle transitions save jobs through the `workflows.JobLifecycle` proxy, whose saves Django signals
  under the proxy's name; the history listens for those too, so every transition is a version.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db import models
from django.db.models.signals import post_delete, post_save
from django_fsm import FSMField
from simple_history.models import HistoricalRecords

from notifications.models import NotificationRule
from repairs.models import Job, Priority, SorCode, Trade, WorkTeam
from scheduling.models import RoutingRule, SchedulerConnection, TeamCalendar
from workflows.hazards.models import HazardKind
from workflows.models import ClosureDay, JobLifecycle

from .models import StaffProfile

APP = "backoffice"


class AuditRecords(HistoricalRecords):
    """Historical records whose copies of state-machine fields are plain text (never protected FSMFields)."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for field in fields.values():
            if isinstance(field, FSMField):
                field.__class__ = models.CharField
                for attribute in ("protected", "transitions", "state_proxy"):
                    field.__dict__.pop(attribute, None)
        return fields


def track(model, **options) -> AuditRecords:
    records = AuditRecords(app=APP, **options)
    records.manager_name = "history"
    records.table_name = None
    records.module = f"{APP}.models"
    records.cls = model
    records.add_extra_methods(model)
    records.finalize(model)
    # A version is written on every change; Wagtail's reference index need not copy each one's links.
    getattr(model, records.manager_name).model.wagtail_reference_index_ignore = True
    return records


def register_audit_trail() -> None:
    job_records = track(Job)
    post_save.connect(job_records.post_save, sender=JobLifecycle, weak=False)
    post_delete.connect(job_records.post_delete, sender=JobLifecycle, weak=False)
    for model in (Trade, Priority, SorCode, WorkTeam, RoutingRule, NotificationRule, TeamCalendar):
        track(model)
    for model in (ClosureDay, HazardKind, StaffProfile):
        track(model)
    # Secrets are never copied. `instance` (Total Mobile's instance name) would clash with the history
    # row's own `instance` (the record as it was), so that one setting is not kept either.
    track(SchedulerConnection, excluded_fields=["password", "client_secret", "inbound_secret", "instance"])
    track(User, excluded_fields=["password", "last_login"], m2m_fields=["groups", "user_permissions"])
    track(Group, m2m_fields=["permissions"])
