"""Two people acting on one job at once: one wins, the other is told, and nothing is lost or doubled."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from repairs.models import Job
from repairs.models import JobState as S
from tests.repairs.factories import JobFactory
from workflows.errors import ConcurrentChange
from workflows.models import JobEvent
from workflows.services import transition_job


@pytest.mark.django_db
def test_action_on_a_stale_copy_is_refused():
    job = JobFactory()
    stale = Job.objects.get(pk=job.pk)
    transition_job(job, "triage", by=None)

    with pytest.raises(ConcurrentChange, match=r"changed by someone else.*now triaged"):
        transition_job(stale, "cancel", by=None, note="Duplicate")

    assert Job.objects.get(pk=job.pk).state == S.TRIAGED
    assert JobEvent.objects.filter(job=job).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("first", "second"), [("triage", "triage"), ("triage", "cancel")])
def test_two_connections_transitioning_one_job_at_once_make_one_change(first, second):
    job_id = JobFactory().pk
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def act(name: str, action: str) -> None:
        try:
            job = Job.objects.get(pk=job_id)  # each thread reads the job on its own connection
            barrier.wait()  # both hold a copy in state "reported" before either acts
            transition_job(job, action, by=None, note="Duplicate report")
            outcomes[name] = "done"
        except ConcurrentChange as error:
            outcomes[name] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(name, action)) for name, action in (("a", first), ("b", second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert connection.vendor == "postgresql"
    assert sorted(type(outcome).__name__ for outcome in outcomes.values()) == ["ConcurrentChange", "str"]
    loser = next(outcome for outcome in outcomes.values() if isinstance(outcome, ConcurrentChange))
    assert "changed by someone else" in str(loser)
    assert JobEvent.objects.filter(job_id=job_id).count() == 1
    winner_event = JobEvent.objects.get(job_id=job_id)
    assert Job.objects.get(pk=job_id).state == winner_event.to_state


@pytest.mark.postgres
@pytest.mark.django_db
def test_transition_locks_the_job_row_and_not_the_shared_priority_row():
    from django.test.utils import CaptureQueriesContext

    job = JobFactory()

    with CaptureQueriesContext(connection) as queries:
        transition_job(job, "triage", by=None)

    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1
    assert locking[0].endswith('FOR UPDATE OF "repairs_job"')
