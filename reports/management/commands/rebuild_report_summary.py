"""Rebuild the reports summary from jobs, reports and events for a range of days.

    manage.py rebuild_report_summary                    # every day that has a job, completion or visit
    manage.py rebuild_report_summary --from 2026-01-01 --to 2026-03-31
    manage.py rebuild_report_summary --days 60          # the last 60 days to today

Use it after changes that bypass the lifecycle (SQL loads, bulk updates, a SoR code's new price, homes
moved between blocks or estates) and to fill the table for existing data. Each month commits on its own.
"""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reports.scope import today
from reports.summary import rebuild_range, source_span


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = "Rebuild the reports page's daily summary from the source tables for a range of days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="first", type=parse_day, help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="last", type=parse_day, help="last day, included (YYYY-MM-DD)")
        parser.add_argument("--days", type=int, help="the last N days to today")

    def handle(self, *args, first=None, last=None, days=None, **options) -> None:
        if days is not None:
            if days < 1:
                raise CommandError("--days must be 1 or more.")
            last = today()
            first = last - datetime.timedelta(days=days - 1)
        elif first is None or last is None:
            span = source_span()
            if span is None:
                self.stdout.write("No jobs: nothing to build.")
                return
            first, last = first or span[0], last or span[1]
        if first > last:
            raise CommandError("--from must be on or before --to.")
        started, total = time.perf_counter(), 0
        for start, end, rows in rebuild_range(first, last):
            total += rows
            if options["verbosity"] > 1:
                self.stdout.write(f"{start} to {end}: {rows:,} rows")
        if connection.vendor == "postgresql":
            # A large rebuild changes the tables' statistics: refresh them so the page's plans stay right.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE reports_jobdaysummary, reports_homecostsummary")
        self.stdout.write(
            f"Rebuilt {first} to {last}: {total:,} summary rows in {time.perf_counter() - started:.1f} s"
        )
