"""Build import files for tests: a header and rows, written the way a housing system exports them."""

from __future__ import annotations

from properties.importing import ALL_COLUMNS, rows_to_csv


def home_row(number: int, **overrides: str) -> dict[str, str]:
    row = {
        "property_ref": f"{number:08d}",
        "uprn": str(990_000_000_000 + number),
        "address_line_1": f"{number} Orchard Lane",
        "address_line_2": "",
        "address_line_3": "",
        "town": "Demoton",
        "postcode": "aa1 1ab",
        "tenure": "secure",
        "council_repairs": "yes",
        "block_ref": "",
    }
    row.update(overrides)
    return row


def homes_csv(*rows: dict[str, str], columns=ALL_COLUMNS) -> str:
    return rows_to_csv(rows, columns)
