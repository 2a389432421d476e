"""Reads shared by the status page, the contact centre and the APIs.

The two ways into a repair without an account, its status link's token and its reference, are read so
that a miss looks like any other miss: input of the wrong shape is looked up as a value no row can
hold (one query either way, and no NUL or oversized text reaches the database), and a token found is
compared again in constant time before it counts as a match.
"""

from __future__ import annotations

import hmac
import re

from .models import Report
from .references import is_well_formed, normalise_reference

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # secrets.token_urlsafe's alphabet
NO_SUCH_TOKEN = "~" * 32  # '~' is outside that alphabet: no report holds it
NO_SUCH_REFERENCE = "RP-000000"  # '0' is outside the reference alphabet


def report_by_status_token(token: str) -> Report | None:
    """The report a status link points at; its job is the one it follows now, after any merge."""
    token = token or ""
    wanted = token if TOKEN_PATTERN.match(token) else NO_SUCH_TOKEN
    report = (
        Report.objects.select_related("job", "job__trade", "job__priority")
        .filter(status_token=wanted)
        .first()
    )
    if report is None or not hmac.compare_digest(
        report.status_token.encode(), token.encode("utf-8", "replace")
    ):
        return None
    return report


def _reference_wanted(reference: str) -> str:
    reference = normalise_reference(reference)
    return reference if is_well_formed(reference) else NO_SUCH_REFERENCE


def report_by_reference(reference: str) -> Report | None:
    """The report for a reference as a person typed or read it ('rp 7k3m9q' works)."""
    return (
        Report.objects.select_related("job", "job__trade", "job__priority")
        .filter(reference=_reference_wanted(reference))
        .first()
    )


def report_for_lookup(reference: str) -> Report | None:
    """The report for a typed reference with every postcode it may be checked against, in one query,
    so a known reference with a wrong postcode costs the same as an unknown one."""
    return (
        Report.objects.select_related(
            "job", "job__property", "job__communal_area__block", "reporter_property"
        )
        .filter(reference=_reference_wanted(reference))
        .first()
    )
