"""Keyset paging for staff lists: a page starts after (or before) the last row seen, by sort key and id.

OFFSET with a full COUNT gets slower with every page (the database reads and throws away every row
before the page, and counts them all); a keyset page is an index range scan, as fast at page 10,000 as
at page 1. There is no total: a page knows only whether there is another after it and before it.

A sort key may be empty (a job with no due date): those rows come after the others, in id order. Rows
with a key and rows without are read by one query each, so the number of queries stays constant.
"""

from __future__ import annotations

import base64
import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Sort:
    """A column to sort by and its direction; `id` breaks ties in the same direction."""

    field: str
    descending: bool = False

    @property
    def order_by(self) -> list:
        from django.db.models import F

        key = F(self.field).desc(nulls_last=True) if self.descending else F(self.field).asc(nulls_last=True)
        return [key, "-id" if self.descending else "id"]


@dataclass(frozen=True)
class Cursor:
    value: Any
    id: int

    def encode(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, datetime.datetime) else self.value
        raw = json.dumps([value, self.id]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, *, is_datetime: bool) -> Cursor | None:
        """The cursor a link carried; anything tampered with or stale reads as "from the start"."""
        try:
            value, pk = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            if value is not None and is_datetime:
                value = datetime.datetime.fromisoformat(value)
            return cls(value, int(pk))
        except (ValueError, TypeError):
            return None


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool


def keyset_page(
    queryset: QuerySet,
    *,
    sort: Sort,
    size: int,
    after: str = "",
    before: str = "",
    is_datetime: bool = True,
) -> KeysetPage:
    """One page of `queryset` in `sort` order: after the `after` cursor, or ending before `before`."""
    if before:
        cursor = Cursor.decode(before, is_datetime=is_datetime)
        if cursor is not None:
            rows = _read(queryset, _reversed(sort), cursor, size + 1)
            has_more_before = len(rows) > size
            rows = list(reversed(rows[:size]))
            return _page(rows, sort, has_next=True, has_previous=has_more_before)
    cursor = Cursor.decode(after, is_datetime=is_datetime) if after else None
    rows = _read(queryset, sort, cursor, size + 1)
    return _page(rows[:size], sort, has_next=len(rows) > size, has_previous=cursor is not None)


@dataclass(frozen=True)
class _Direction:
    sort: Sort
    nulls_first: bool  # reading backwards, the rows without a key come first


def _reversed(sort: Sort) -> _Direction:
    return _Direction(Sort(sort.field, not sort.descending), nulls_first=True)


def _read(queryset: QuerySet, sort: Sort | _Direction, cursor: Cursor | None, limit: int) -> list:
    direction = sort if isinstance(sort, _Direction) else _Direction(sort, nulls_first=False)
    field, desc = direction.sort.field, direction.sort.descending
    id_order = "-id" if desc else "id"
    after_id = Q(id__lt=cursor.id) if cursor and desc else Q(id__gt=cursor.id) if cursor else Q()
    with_key = queryset.filter(**{f"{field}__isnull": False}).order_by(
        f"-{field}" if desc else field, id_order
    )
    without_key = queryset.filter(**{f"{field}__isnull": True}).order_by(id_order)

    def keyed() -> list:
        if cursor is None:
            return list(with_key[:limit])
        if cursor.value is None:
            return []  # the cursor is already among the rows without a key
        # `>=` gives the index scan its starting point; the OR only drops the ties already shown.
        start = {f"{field}__lte" if desc else f"{field}__gte": cursor.value}
        beyond = {f"{field}__lt" if desc else f"{field}__gt": cursor.value}
        return list(with_key.filter(**start).filter(Q(**beyond) | after_id)[:limit])

    if not queryset.model._meta.get_field(field).null:
        return keyed()
    # Both parts are always read (each a LIMITed index scan), so a page costs the same queries
    # whether or not it reaches the rows without a key.
    if not direction.nulls_first:
        rest = without_key.filter(after_id) if cursor and cursor.value is None else without_key
        return (keyed() + list(rest[:limit]))[:limit]
    # Backwards: rows without a key (if the cursor is among them), then the keyed rows.
    if cursor is not None and cursor.value is None:
        return (list(without_key.filter(after_id)[:limit]) + list(with_key[:limit]))[:limit]
    return keyed()


def _page(rows: list, sort: Sort, *, has_next: bool, has_previous: bool) -> KeysetPage:
    def cursor_of(row) -> str:
        return Cursor(getattr(row, sort.field), row.pk).encode()

    return KeysetPage(
        rows=rows,
        next_cursor=cursor_of(rows[-1]) if rows and has_next else None,
        previous_cursor=cursor_of(rows[0]) if rows and has_previous else None,
        is_first=not has_previous,
    )
