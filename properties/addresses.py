"""Address helpers: the natural sort key that puts 2, 4, 10 in that order inside the database."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+")


def natural_sort_key(*parts: str) -> str:
    """A text key whose plain string order is natural order: digits are zero-padded to ten places.

    Stored on the row and indexed with the postcode, so a postcode look-up is one ordered index scan.
    """
    text = " ".join(part.strip().lower() for part in parts if part and part.strip())
    return _NUMBER.sub(lambda match: match.group(0).zfill(10), text)[:255]
