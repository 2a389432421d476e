"""Who a member of staff works for: the link between a user and a work team.

Contractors see and act on only their own team's jobs; managers and agents use their team for the
"my team" view. A user with no profile belongs to no team.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from repairs.models import WorkTeam


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    team = models.ForeignKey(
        WorkTeam, on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )

    class Meta:
        verbose_name = "staff member's team"

    def __str__(self) -> str:
        return f"{self.user} ({self.team or 'no team'})"

    @property
    def is_contractor(self) -> bool:
        return self.team is not None and self.team.kind == WorkTeam.Kind.CONTRACTOR


# The audit trail's history tables live in this app (backoffice/history.py); they are made here, while
# the app's models load, so that migrations and the admin see them like any other model.
from .history import register_audit_trail  # noqa: E402

register_audit_trail()
