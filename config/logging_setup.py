"""Logging: one JSON object a line in production, readable lines on the demo console, and never a
resident's personal data in either.

Everything goes through structlog's ProcessorFormatter, so lines from our code, from Django and from
Celery pass the same `drop_personal_data` processor before they are written. Keys that name personal
data lose their values; emails, phone numbers, postcodes and status-page tokens are masked inside any
other string (messages, request paths with query strings). Names in free text cannot be found by a
pattern, which is why our code logs references and ids, never a contact's fields.
"""

from __future__ import annotations

import re
from typing import Any

import structlog

REMOVED = "[removed]"

# Keys whose values are personal data whatever they hold.
PERSONAL_KEYS = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "full_name",
        "contact_name",
        "email",
        "contact_email",
        "phone",
        "phone_number",
        "contact_phone",
        "mobile",
        "postcode",
        "address",
        "recipient",
        "email_address",
        "access_notes",
        "ip",
        "remote_addr",
        "personalisation",
    }
)
# Keys that are ours and safe: skipped so a request id (a UUID) is not taken for a token.
SAFE_KEYS = frozenset({"request_id", "correlation_id", "timestamp", "level", "logger", "task_id"})

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: +44 or 0, then 9 or 10 digits with optional spaces, dots or dashes between them.
PHONE = re.compile(r"(?<![\w/])(?:\+44\s?\(?0?\)?|0)(?:[\s.-]?\d){9,10}(?!\d)")
POSTCODE = re.compile(r"\b(?:GIR\s?0AA|[A-Z]{1,2}\d[A-Z\d]?(?:\s|%20|\+)?\d[A-Z]{2})\b", re.IGNORECASE)
# Status-page tokens and other long secrets in paths: 32 or more URL-safe characters.
TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{32,}(?![\w-])")


def mask_text(text: str) -> str:
    """Mask the personal data a pattern can find in free text."""
    text = EMAIL.sub("[email]", text)
    text = TOKEN.sub("[token]", text)
    text = PHONE.sub("[phone]", text)
    return POSTCODE.sub("[postcode]", text)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {
            key: REMOVED if str(key).lower() in PERSONAL_KEYS else _scrub(item) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(_scrub(item) for item in value)
    return value


def drop_personal_data(logger: Any, method_name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: remove personal values by key and mask them inside strings."""
    for key, value in list(event_dict.items()):
        if key in SAFE_KEYS:
            continue
        if key.lower() in PERSONAL_KEYS:
            event_dict[key] = REMOVED
        elif key == "exc_info" or key.startswith("_"):
            continue
        else:
            event_dict[key] = _scrub(value)
    return event_dict


def _render_exception_then_scrub(logger: Any, method_name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Tracebacks carry values too (a ValueError quoting an email): render them, then mask the text."""
    event_dict = structlog.processors.format_exc_info(logger, method_name, event_dict)
    if isinstance(event_dict.get("exception"), str):
        event_dict["exception"] = mask_text(event_dict["exception"])
    return event_dict


SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_structlog() -> None:
    """Route structlog through the standard library, so one LOGGING dict decides where lines go."""
    structlog.configure(
        processors=[
            *SHARED_PROCESSORS,
            structlog.stdlib.filter_by_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def build_logging(*, json_lines: bool, level: str, quiet_eager_tasks: bool) -> dict[str, Any]:
    """The LOGGING setting. `quiet_eager_tasks`: the embedded run, where each eager task would print."""
    renderer = (
        structlog.processors.JSONRenderer()
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    final = [
        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
        drop_personal_data,
        *([_render_exception_then_scrub] if json_lines else []),
        renderer,
    ]
    loggers: dict[str, dict[str, Any]] = {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's background tasks and page-audit lines are noise; the audit log keeps them.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    }
    if not quiet_eager_tasks:
        # django-structlog writes one line per request; Django's own would say it twice.
        loggers["django.server"] = {"level": "WARNING"}
        loggers["django.request"] = {"level": "ERROR"}
    else:
        # Eager Celery logs "Task ... succeeded" per task, and kombu warns of a missing broker host.
        loggers["celery.app.trace"] = {"level": "WARNING"}
        loggers["celery"] = {"level": "WARNING"}
        loggers["kombu"] = {"level": "ERROR"}
        # The demo console keeps runserver's short request lines instead of structured ones.
        loggers["django_structlog"] = {"level": "WARNING"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": final,
                "foreign_pre_chain": [*SHARED_PROCESSORS, structlog.stdlib.ExtraAdder()],
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": loggers,
    }
