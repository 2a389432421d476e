"""Report references people read over the phone, and the tidy-up of what they type back."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from .models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Report, new_report_reference

PREFIX = "RP-"
_NOT_REFERENCE = re.compile(r"[\s\-_.]+")
REFERENCE_PATTERN = re.compile(rf"^{PREFIX}[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}$")


class NoFreeReference(RuntimeError):
    """Every attempt collided: the reference space is nearly full, so lengthen REFERENCE_LENGTH."""


def normalise_reference(text: str) -> str:
    """'rp 7k3m 9q' or '7K3M9Q' become 'RP-7K3M9Q'; anything else comes back tidied but unmatched."""
    compact = _NOT_REFERENCE.sub("", text or "").upper()
    if compact.startswith("RP"):
        compact = compact[2:]
    return PREFIX + compact


def is_well_formed(reference: str) -> bool:
    return bool(REFERENCE_PATTERN.match(reference))


def save_with_unique_reference(
    report: Report, *, attempts: int = 5, new_reference=new_report_reference
) -> Report:
    """Insert `report` under a fresh random reference, drawing again on the rare collision.

    References are random, not sequential, so neighbours say nothing about each other; with 31^6
    (about 887 million) possibilities a collision is rare but possible, and the unique index decides.
    """
    for _ in range(attempts):
        report.reference = new_reference()
        try:
            with transaction.atomic():
                report.save(force_insert=True)
        except IntegrityError:
            if not Report.objects.filter(reference=report.reference).exists():
                raise
            report.pk = None
            continue
        return report
    raise NoFreeReference(f"No free report reference after {attempts} attempts.")
