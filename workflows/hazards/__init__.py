"""Awaab's Law hazard cases: the statutory clocks from the first report of a hazard (docs/awaabs-law.md)."""
