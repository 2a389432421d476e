"""The lifecycle's Celery tasks, here so the worker's autodiscovery (`<app>.tasks`) finds them."""

from .hazards.tasks import watch_hazard_clocks  # noqa: F401
