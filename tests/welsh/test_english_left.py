"""The English-left check finds an unmarked string, and passes a Welsh page with only shared data."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.welsh.english_left import english_left


class _Texts(HTMLParser):
    """Text nodes and aria-labels, as the browser check collects them (without the lang rule)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"aria-label", "alt", "title", "placeholder"} and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(data)


def texts_of(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def test_an_english_label_left_on_a_welsh_page_is_found() -> None:
    english = ["Check a repair", "Repair reference", "Continue", "RP-7K3M9Q"]
    welsh = ["Gwirio gwaith atgyweirio", "Repair reference", "Parhau", "RP-7K3M9Q"]
    findings = english_left(english, welsh, data={"RP-7K3M9Q"})
    assert findings == [
        "English text on the Welsh page: 'Repair reference'",
        "English words ['repair'] in Welsh text: 'Repair reference'",
    ]


def test_english_the_english_page_did_not_show_is_found_by_its_words() -> None:
    assert english_left([], ["Rhowch eich enw", "Enter your full name"])


def test_shared_data_and_welsh_words_that_look_english_pass() -> None:
    english = ["Flat 2, Kestrel House, AA1 1AB", "020 7946 0000", "Where is the problem?"]
    welsh = [
        "Flat 2, Kestrel House, AA1 1AB",
        "020 7946 0000",
        "Ble mae'r broblem?",
        "To a chafnau",
        "8yb i 12yp",
    ]
    assert english_left(english, welsh, data={"Flat 2, Kestrel House, AA1 1AB"}) == []


@pytest.mark.django_db
def test_the_real_welsh_page_passes_and_fails_once_a_string_is_left_unmarked(client) -> None:
    """The same check on the check-a-repair page as Django renders it: clean in Welsh, and caught
    when one label is left in English (as an unmarked string would be)."""
    from tests.cms.factories import site_home

    site_home()
    english = client.get("/repairs/status/").content.decode()
    welsh = client.get("/cy/repairs/status/").content.decode()
    assert 'lang="cy"' in welsh
    assert english_left(texts_of(english), texts_of(welsh), data={"English"}) == []
    unmarked = welsh.replace("Cyfeirnod y gwaith atgyweirio", "Repair reference")
    assert "English text on the Welsh page: 'Repair reference'" in english_left(
        texts_of(english), texts_of(unmarked), data={"English"}
    )
