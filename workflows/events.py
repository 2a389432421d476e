"""Signals the lifecycle sends after a change of state has been committed.

Other apps (notifications, scheduling, the status page cache) connect receivers here; the lifecycle
never imports them. Receivers run after the database commit, so they never see a change that is later
rolled back, and a failing receiver cannot undo a recorded transition.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with keyword arguments: job_id, event_id, action, source, target.
job_transitioned = Signal()
