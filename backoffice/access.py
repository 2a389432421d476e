"""Who may use the back office and which jobs each person sees.

One rule, used by every page, form and bulk action: `visible_jobs(user)`. A contractor (a member of
the Contractors group, or of a contractor team) sees only jobs assigned to their own team; asking for
another team's job is answered 404, as if it did not exist.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied

from repairs.models import Job, JobQuerySet, WorkTeam

CONTRACTORS_GROUP = "Contractors"


def staff_required(view):
    """Signed in through the admin's login page, and staff; anyone else is refused."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied("The back office is for council staff.")
        return view(request, *args, **kwargs)

    return wrapped


def team_of(user: AbstractBaseUser) -> WorkTeam | None:
    """The user's work team, read once per request (the profile and team come in one query)."""
    if not hasattr(user, "_backoffice_team"):
        from .models import StaffProfile

        profile = StaffProfile.objects.select_related("team").filter(user=user).first()
        user._backoffice_team = profile.team if profile else None
    return user._backoffice_team


def is_contractor(user: AbstractBaseUser) -> bool:
    if not hasattr(user, "_backoffice_contractor"):
        team = team_of(user)
        in_group = user.groups.filter(name=CONTRACTORS_GROUP).exists() if not user.is_superuser else False
        user._backoffice_contractor = in_group or (team is not None and team.kind == WorkTeam.Kind.CONTRACTOR)
    return user._backoffice_contractor


def visible_jobs(user: AbstractBaseUser, jobs: JobQuerySet | None = None) -> JobQuerySet:
    """The jobs this user may see: all of them, or for a contractor only their own team's."""
    jobs = Job.objects.all() if jobs is None else jobs
    if not is_contractor(user):
        return jobs
    team = team_of(user)
    return jobs.filter(assignee=team) if team is not None else jobs.none()
