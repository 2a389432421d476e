"""A home as staff see it: details, current alerts, tenancy, communal areas and its repair history."""

from __future__ import annotations

from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from properties.models import Alert, AsbestosRecord, Property

from .. import selectors
from ..access import is_contractor, staff_required, visible_jobs

HISTORY_LIMIT = 200


@staff_required
def property_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        home = selectors.property_for_staff(pk)
    except Property.DoesNotExist:
        raise Http404("No such home.") from None
    history = visible_jobs(request.user, selectors.repair_history(home))
    totals = history.aggregate(estimated=Sum("estimated_cost"), actual=Sum("actual_cost"))
    return render(
        request,
        "backoffice/property.html",
        {
            "home": home,
            "alerts": list(Alert.objects.current().filter(property=home)),
            "asbestos": list(AsbestosRecord.objects.filter(property=home)),
            "tenancies": [t for t in home.tenancies.all() if t.end_date is None][:1]
            or list(home.tenancies.all())[:1],
            "communal_areas": list(home.block.communal_areas.all()) if home.block_id else [],
            "history": list(history[:HISTORY_LIMIT]),
            "history_limit": HISTORY_LIMIT,
            "totals": totals,
            "show_contacts": not is_contractor(request.user),
            "nav": "queue",
        },
    )
