"""Fault drills: the outside services fail for real, and no report or message is lost or doubled.

Each drill starts what it breaks on its own, never the shared services: a throwaway PostgreSQL cluster
(initdb + pg_ctl, as the postgres user) and redis-server processes on spare ports, real Celery worker
processes killed with SIGKILL, and the local fakes of GOV.UK Notify and DRS told to fail or hang.

- test_postgres_restart: a client sends a burst of API bookings to gunicorn while PostgreSQL is stopped
  and started again; it retries failures with the same Idempotency-Key; the database ends with exactly
  one report per key.
- test_worker_killed: the worker sending a Notify message is killed before Notify's answer arrives; the
  broker hands the task to a new worker after the visibility timeout, which finds the message at
  Notify by its reference instead of sending it twice.
- test_redis_down: with Redis (broker and cache) gone, reports are still accepted and their messages
  wait in PostgreSQL; when Redis is back, beat's sweep sends each exactly once.
- test_outside_services_failing: Notify answering 503, 429 or not at all, and DRS answering slowly or
  with faults: the resident's report is saved at once, messages are retried with backoff and sent
  once, and the job joins the needs-booking queue within the scheduler's timeout.

Where the PostgreSQL or Redis binaries are missing the drills skip, unless REQUIRE_DRILLS is set (CI),
when they fail. Results and what they showed are in docs/deploy.md, "Fault drills".
"""
