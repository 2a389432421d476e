"""The banner on the public pages while an agent reports for a caller, and the agent's confirmation.

Both answer for the signed-in agent only: the public pages' caches store anonymous renders alone, so
nothing an agent sees here is ever served to a resident.
"""

from __future__ import annotations

from django import template

from repairs.journey import assisted
from repairs.models import Channel, Report

register = template.Library()


@register.inclusion_tag("repairs/journey/_assisted_banner.html", takes_context=True)
def assisted_banner(context: template.Context) -> dict:
    request = context.get("request")
    if request is None or not hasattr(request, "session") or not assisted.is_on(request.session):
        return {"agent": None}
    return {"agent": assisted.agent(request.session)}


@register.simple_tag(takes_context=True)
def reported_for_caller(context: template.Context, report: Report) -> bool:
    """This report was taken for a caller by the agent now looking at its confirmation."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and report.channel == Channel.PHONE
        and report.created_by_id == user.pk
        and assisted.may_assist(user)
    )
