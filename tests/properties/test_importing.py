"""The property import: every bad row reported by line, all-or-nothing, re-import updates in place."""

from __future__ import annotations

import io

import pytest

from properties.importing import import_properties
from properties.models import Property, Tenure

from .csv_files import home_row, homes_csv
from .factories import BlockFactory, PropertyFactory

pytestmark = pytest.mark.django_db


def messages_by_line(result) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for error in result.errors:
        found.setdefault(error.line, []).append(error.message)
    return found


def test_good_file_creates_every_home_with_normalised_postcodes():
    block = BlockFactory(code="BLK-KES")
    text = homes_csv(home_row(1), home_row(2, block_ref="BLK-KES", tenure="LEA", council_repairs="no"))

    result = import_properties(text, dry_run=False)

    assert result.ok
    assert (result.total_rows, result.created, result.updated, result.unchanged) == (2, 2, 0, 0)
    second = Property.objects.get(property_ref="00000002")
    assert second.postcode == "AA1 1AB"
    assert second.postcode_key == "AA11AB"
    assert second.block == block
    assert second.tenure == Tenure.LEASEHOLD
    assert second.council_repairs is False


def test_keeps_leading_zeros_in_property_references():
    import_properties(homes_csv(home_row(7, property_ref="0007")), dry_run=False)

    assert Property.objects.filter(property_ref="0007").exists()


def test_accepts_a_uprn_a_spreadsheet_turned_into_a_decimal():
    import_properties(homes_csv(home_row(1, uprn="100023336956.0")), dry_run=False)

    assert Property.objects.get().uprn == 100023336956


def test_blank_uprn_is_allowed():
    import_properties(homes_csv(home_row(1, uprn="")), dry_run=False)

    assert Property.objects.get().uprn is None


def test_stores_the_natural_sort_key():
    import_properties(
        homes_csv(home_row(1, address_line_1="Flat 2", address_line_2="Kestrel House")), dry_run=False
    )

    assert Property.objects.get().sort_key == "flat 0000000002 kestrel house"


def test_dry_run_saves_nothing_and_counts_what_would_change():
    PropertyFactory(property_ref="00000001", uprn=990_000_000_001, address_line_1="Old address")

    result = import_properties(homes_csv(home_row(1), home_row(2)), dry_run=True)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert Property.objects.count() == 1
    assert Property.objects.get().address_line_1 == "Old address"


def test_reimporting_the_same_file_changes_nothing():
    text = homes_csv(home_row(1), home_row(2))
    import_properties(text, dry_run=False)

    result = import_properties(text, dry_run=False)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Property.objects.count() == 2


def test_reimporting_updates_homes_matched_on_property_ref_never_duplicates():
    import_properties(homes_csv(home_row(1), home_row(2)), dry_run=False)
    first_id = Property.objects.get(property_ref="00000001").pk

    result = import_properties(
        homes_csv(home_row(1, address_line_1="1A Orchard Lane", postcode="AA1 1AD"), home_row(2)),
        dry_run=False,
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    home = Property.objects.get(property_ref="00000001")
    assert home.pk == first_id
    assert (home.address_line_1, home.postcode, home.postcode_key) == ("1A Orchard Lane", "AA1 1AD", "AA11AD")
    assert home.sort_key.startswith("0000000001a")
    assert Property.objects.count() == 2


def test_missing_optional_columns_keep_what_is_stored():
    home = PropertyFactory(property_ref="00000001", tenure=Tenure.LEASEHOLD, council_repairs=False)
    columns = ("property_ref", "uprn", "address_line_1", "postcode")

    import_properties(homes_csv(home_row(1), columns=columns), dry_run=False)

    home.refresh_from_db()
    assert (home.tenure, home.council_repairs) == (Tenure.LEASEHOLD, False)


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported():
    BlockFactory(code="BLK-KES")
    PropertyFactory(property_ref="OTHER", uprn=123456789012)
    rows = [
        home_row(1),  # line 2, good
        home_row(2, postcode="SW1A 1A"),  # line 3
        home_row(3, uprn=str(990_000_000_001)),  # line 4: same UPRN as line 2
        home_row(4, uprn="123456789012"),  # line 5: UPRN of another home in the register
        home_row(1, uprn="990000000555"),  # line 6: property_ref of line 2 again
        home_row(6, block_ref="BLK-NOPE"),  # line 7
        home_row(7, uprn="1234567890123"),  # line 8
        home_row(8, uprn="12AB"),  # line 9
        home_row(9, tenure="freehold"),  # line 10
        home_row(10, property_ref=""),  # line 11
        home_row(11, address_line_1=""),  # line 12
        home_row(12, council_repairs="maybe"),  # line 13
        home_row(13, uprn="1.00023E+11"),  # line 14
    ]

    result = import_properties(homes_csv(*rows), dry_run=False)

    found = messages_by_line(result)
    assert sorted(found) == list(range(3, 15))
    assert found[3] == ["Postcode 'SW1A 1A' is not a real postcode."]
    assert found[4] == ["UPRN 990000000001 is also on line 2."]
    assert found[5] == ["UPRN 123456789012 already belongs to property OTHER in the register."]
    assert found[6] == ["Property reference 00000001 is also on line 2."]
    assert found[7] == ["Block 'BLK-NOPE' is not in the register. Add the block first."]
    assert found[8] == ["UPRN '1234567890123' must be a number of 1 to 12 digits."]
    assert found[9] == ["UPRN '12AB' must be a number of 1 to 12 digits."]
    assert found[10][0].startswith("Tenure 'freehold' is not one of: secure,")
    assert found[11] == ["property_ref is empty."]
    assert found[12] == ["address_line_1 is empty."]
    assert found[13] == ["council_repairs 'maybe' must be yes or no."]
    assert found[14] == ["UPRN '1.00023E+11' must be a number of 1 to 12 digits."]
    assert Property.objects.count() == 1


def test_one_bad_row_stops_a_large_file():
    rows = [home_row(n) for n in range(1, 2501)]
    rows[2000]["postcode"] = "nonsense"

    result = import_properties(homes_csv(*rows), dry_run=False)

    assert [error.line for error in result.errors] == [2002]
    assert not Property.objects.exists()


def test_a_row_with_the_wrong_number_of_values_is_reported():
    text = homes_csv(home_row(1)) + "00000002,990000000002,2 Orchard Lane\n"

    result = import_properties(text, dry_run=True)

    assert messages_by_line(result) == {3: ["This line has 3 values but the header has 10 columns."]}


def test_line_numbers_count_blank_lines_and_quoted_line_breaks():
    text = (
        homes_csv(home_row(1, address_line_2="The Old\nBakery"), home_row(2))
        + "\n"
        + homes_csv(home_row(3, postcode="bad")).split("\n", 1)[1]
    )

    result = import_properties(text, dry_run=True)

    assert messages_by_line(result) == {6: ["Postcode 'bad' is not a real postcode."]}


def test_missing_required_column_is_reported_once_on_the_header():
    columns = ("property_ref", "address_line_1", "town")
    text = homes_csv(home_row(1), home_row(2), columns=columns)

    result = import_properties(text, dry_run=True)

    assert len(result.errors) == 1
    assert result.errors[0].line == 1
    assert "missing the required columns uprn, postcode" in result.errors[0].message


def test_unknown_column_is_reported_on_the_header():
    text = "property_ref,uprn,address_line_1,postcode,adress_line_2\n1,1,1 Lane,AA1 1AB,\n"

    result = import_properties(text, dry_run=True)

    assert [(error.line, error.message.split(".")[0]) for error in result.errors] == [
        (1, "The header has unknown columns adress_line_2")
    ]


def test_header_names_are_matched_whatever_the_case_and_spacing():
    text = "Property Ref,UPRN,Address Line 1,Postcode\n0001,1,1 Lane,aa11ab\n"

    result = import_properties(text, dry_run=False)

    assert result.ok
    assert Property.objects.get().postcode == "AA1 1AB"


def test_file_with_only_a_header_is_reported():
    result = import_properties(homes_csv(), dry_run=True)

    assert [(error.line, error.message) for error in result.errors] == [
        (2, "The file has a header but no homes.")
    ]


def test_progress_is_reported_while_checking_and_saving():
    calls = []

    import_properties(
        homes_csv(*(home_row(n) for n in range(1, 2101))),
        dry_run=False,
        progress=lambda stage, done, total: calls.append((stage, done, total)),
    )

    assert ("checking", 1000, 2100) in calls
    assert calls[-1] == ("saving", 2100, 2100)


def test_imports_from_a_text_stream_as_from_text():
    stream = io.StringIO(homes_csv(home_row(1), home_row(2, postcode="bad")), newline="")

    result = import_properties(stream, dry_run=True)

    assert messages_by_line(result) == {3: ["Postcode 'bad' is not a real postcode."]}
    assert result.total_rows == 2


def test_a_file_without_some_address_lines_keeps_the_stored_lines_in_the_sort_key():
    PropertyFactory(
        property_ref="00000001", address_line_1="Flat 2", address_line_2="Kestrel House", postcode="AA1 1AB"
    )
    columns = ("property_ref", "uprn", "address_line_1", "postcode")

    result = import_properties(
        homes_csv(home_row(1, address_line_1="Flat 3", uprn=""), columns=columns), dry_run=False
    )

    assert result.updated == 1
    home = Property.objects.get(property_ref="00000001")
    assert (home.address_line_1, home.address_line_2) == ("Flat 3", "Kestrel House")
    assert home.sort_key == "flat 0000000003 kestrel house"


def test_a_file_without_some_address_lines_counts_an_untouched_home_unchanged():
    PropertyFactory(
        property_ref="00000001",
        uprn=None,
        address_line_1="Flat 2",
        address_line_2="Kestrel House",
        postcode="AA1 1AB",
    )
    columns = ("property_ref", "uprn", "address_line_1", "postcode")

    result = import_properties(
        homes_csv(home_row(1, address_line_1="Flat 2", uprn=""), columns=columns), dry_run=False
    )

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_new_homes_get_the_defaults_for_absent_columns():
    columns = ("property_ref", "uprn", "address_line_1", "postcode")

    import_properties(homes_csv(home_row(1), columns=columns), dry_run=False)

    home = Property.objects.get()
    assert (home.tenure, home.council_repairs, home.block, home.is_active) == (
        Tenure.SECURE,
        True,
        None,
        True,
    )


def test_a_line_that_is_not_csv_is_reported_with_its_line():
    text = homes_csv(home_row(1)) + "00000002," + "x" * 200_000 + "\n"

    result = import_properties(text, dry_run=True)

    assert [error.line for error in result.errors] == [3]
    assert "cannot be read as CSV" in result.errors[0].message


def test_a_failure_while_saving_saves_nothing(monkeypatch):
    PropertyFactory(property_ref="00000001", address_line_1="Old address")

    def fail_after_first_statement(self, progress, total):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("UPDATE properties_property SET address_line_1 = 'half done'")
        raise RuntimeError("disk full")

    monkeypatch.setattr("properties.importing._Staging.apply", fail_after_first_statement)

    with pytest.raises(RuntimeError):
        import_properties(homes_csv(home_row(1), home_row(2)), dry_run=False)

    assert list(Property.objects.values_list("address_line_1", flat=True)) == ["Old address"]
