"""Signals the repairs app sends, so the lifecycle can act on a report without `repairs` importing it.

`workflows` depends on `repairs`, never the other way round (DESIGN.md). What the lifecycle does when
a report arrives (record the public "report received" event, raise a shared job's priority, flag a job
left on hold) is connected in `workflows.receivers`.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside `report_repair`'s transaction (so a failing receiver undoes the report), with keyword
# arguments: report, joined (it joined an open communal job), already_reported (the same person
# reported the same job again; `report` is their earlier one) and priority (what this report asked for).
report_filed = Signal()
