"""Ask every active scheduler connection whether it answers (DRS opens a session, Total Mobile issues
a token, CalDAV reads the calendar) and print one line each; exit 1 if any is down."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from scheduling.adapters import adapter_for
from scheduling.models import SchedulerConnection
from scheduling.port import SchedulerError


class Command(BaseCommand):
    help = "Check that each active scheduler connection answers."

    def handle(self, *args, **options) -> None:
        down = 0
        for connection in SchedulerConnection.objects.filter(is_active=True):
            try:
                health = adapter_for(connection).health()
                ok, detail = health.ok, health.detail
                if health.latency_ms is not None:
                    detail += f" ({health.latency_ms:.0f} ms)"
            except (SchedulerError, ValueError) as error:
                ok, detail = False, str(error)
            down += not ok
            style = self.style.SUCCESS if ok else self.style.ERROR
            self.stdout.write(style(f"{'ok  ' if ok else 'DOWN'} {connection.name}: {detail}"))
            world_id = (connection.options or {}).get("world_id") if ok else None
            if world_id:  # Total Mobile: the world's name and the GUID its jobs are sent to
                self.stdout.write(f"     world {connection.world} → {world_id}")
        if down:
            raise CommandError(f"{down} scheduler(s) did not answer.")
