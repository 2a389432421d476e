"""The job queue: filters, saved views, sorting, keyset pages, CSV of the current view, bulk actions."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from repairs.models import Job

from .. import selectors
from ..access import is_contractor, staff_required, team_of, visible_jobs
from ..actions import actions_for
from ..filters import QueueFilter
from ..forms import BulkForm
from ..paging import Sort, keyset_page
from ..services import transition_many
from ..tables import JobTable, place_of

PAGE_SIZE = 50
SORTS = {
    "due": Sort("due_at"),
    "-due": Sort("due_at", descending=True),
    "reported": Sort("created_at"),
    "-reported": Sort("created_at", descending=True),
}
DEFAULT_SORT = "due"
# column → (ascending key, descending key, words for a screen reader)
SORTABLE = {"due_at": ("due", "-due", "due date"), "created_at": ("reported", "-reported", "date reported")}


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    jobs = visible_jobs(request.user)
    job_filter = QueueFilter(request.GET or None, queryset=jobs)
    filtered = job_filter.qs if job_filter.is_bound and job_filter.is_valid() else jobs
    sort_key = request.GET.get("sort", DEFAULT_SORT)
    sort_key = sort_key if sort_key in SORTS else DEFAULT_SORT
    if request.GET.get("export") == "csv":
        return _csv(filtered, SORTS[sort_key])
    page = keyset_page(
        selectors.queue_rows(filtered),
        sort=SORTS[sort_key],
        size=PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    actions = actions_for(request.user)
    table = JobTable(page.rows, selectable=bool(actions))
    table.sort_links = _sort_links(request, sort_key)
    return render(
        request,
        "backoffice/queue.html",
        {
            "filter": job_filter,
            "table": table,
            "page": page,
            "next_url": _with(request, after=page.next_cursor, before=None) if page.next_cursor else "",
            "previous_url": _with(request, before=page.previous_cursor, after=None)
            if page.previous_cursor
            else "",
            "first_url": _with(request, before=None, after=None) if not page.is_first else "",
            "csv_url": _with(request, export="csv", after=None, before=None),
            "saved_views": _saved_views(request, job_filter.emergency_priority_ids),
            "bulk_actions": actions,
            "is_contractor": is_contractor(request.user),
            "active_filters": _active_filters(job_filter),
        },
    )


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Apply one action to the chosen jobs, each checked and recorded on its own.

    Every chosen job must be one this user may see: a contractor naming another team's job is
    answered 404 and nothing is done.
    """
    actions = actions_for(request.user)
    form = BulkForm(request.POST, actions=[(a.name, a.label) for a in actions])
    back = request.POST.get("next") or "backoffice:queue"
    if not back.startswith("/back-office/"):
        back = "backoffice:queue"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    ids = form.cleaned_data["jobs"]
    jobs = list(visible_jobs(request.user).filter(pk__in=ids).select_related("priority").order_by("pk"))
    if len(jobs) != len(set(ids)):
        raise Http404("No such job.")
    action = next(a for a in actions if a.name == form.cleaned_data["action"])
    note, public_note = form.cleaned_data["note"], form.cleaned_data["public_note"]
    if action.needs_note and not note.strip():
        messages.error(request, f"{action.label}: say why in the note for staff.")
        return redirect(back)
    outcomes = transition_many(jobs, action.name, by=request.user, note=note, public_note=public_note)
    done = [o for o in outcomes if o.done]
    if done:
        messages.success(request, f"{action.label}: {len(done)} of {len(outcomes)} jobs done.")
    for outcome in outcomes:
        if not outcome.done:
            messages.error(request, f"Job {outcome.job_id}: {outcome.message}")
    return redirect(back)


def _with(request: HttpRequest, **changes) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _sort_links(request: HttpRequest, current: str) -> dict[str, dict]:
    links = {}
    for column, (ascending, descending, words) in SORTABLE.items():
        if current == ascending:
            aria, target, hint = (
                "ascending",
                descending,
                f"sorted by {words}, earliest first; sort latest first",
            )
        elif current == descending:
            aria, target, hint = (
                "descending",
                ascending,
                f"sorted by {words}, latest first; sort earliest first",
            )
        else:
            aria, target, hint = "none", ascending, f"sort by {words}, earliest first"
        links[column] = {
            "url": _with(request, sort=target, after=None, before=None),
            "aria_sort": aria,
            "hint": hint,
        }
    return links


def _saved_views(request: HttpRequest, emergency_priority_ids: list[int]) -> list[tuple[str, str]]:
    views = []
    team = team_of(request.user)
    if team is not None:
        views.append(("My team", f"?assignee={team.pk}&open=yes"))
    emergencies = "&".join(f"priority={pk}" for pk in emergency_priority_ids)
    if emergencies:
        views.append(("Emergencies", f"?{emergencies}&open=yes"))
    views += [
        ("Overdue", "?due=overdue"),
        ("Needs booking", "?needs_booking=yes"),
        ("Call-back", "?call_back=yes"),
        ("Needs attention", "?attention=yes"),
    ]
    return views


def _active_filters(job_filter: QueueFilter) -> list[str]:
    if not job_filter.is_bound or not job_filter.is_valid():
        return []
    chosen = []
    for name, value in job_filter.form.cleaned_data.items():
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value):
            continue
        field = job_filter.form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        if hasattr(value, "__iter__") and not isinstance(value, str):
            words = ", ".join(str(choices.get(v, v)) for v in value)
        else:
            words = str(choices.get(value, value))
        chosen.append(f"{field.label}: {words}")
    return chosen


CSV_COLUMNS = [
    "job",
    "where",
    "trade",
    "priority",
    "state",
    "due",
    "reported",
    "team",
    "channel",
    "estimated_cost",
    "actual_cost",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(jobs, sort: Sort) -> StreamingHttpResponse:
    """Every job in the current view, streamed in the view's order (no page limit, constant memory)."""
    rows = (
        jobs.select_related(
            "trade", "priority", "assignee", "property", "communal_area__block", "communal_area__estate"
        )
        .order_by(*sort.order_by)
        .iterator(chunk_size=2000)
    )
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        for job in rows:
            yield writer.writerow([_safe(value) for value in _csv_row(job)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="jobs-{stamp}.csv"'
    return response


def _csv_row(job: Job) -> list:
    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return [
        job.pk,
        place_of(job),
        job.trade.name,
        job.priority.name,
        job.get_state_display(),
        when(job.due_at),
        when(job.created_at),
        job.assignee.name if job.assignee_id else "",
        job.get_channel_display(),
        job.estimated_cost if job.estimated_cost is not None else "",
        job.actual_cost if job.actual_cost is not None else "",
    ]


def _safe(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them text."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
