"""Compare HTML the way a browser sees it, so a partial can be checked against GOV.UK Frontend's fixtures.

Whitespace between and inside tags, attribute order, class order and entity spelling do not matter;
elements, attributes, values and text do.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GOVUK_COMPONENTS = REPO_ROOT / "node_modules/govuk-frontend/dist/govuk/components"


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        normalised = []
        for name, value in attrs:
            if name == "class" and value:
                value = " ".join(sorted(value.split()))
            elif value is not None:
                value = " ".join(value.split())
            normalised.append((name, value or ""))
        self.tokens.append(("start", tag, tuple(sorted(normalised))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", tag))

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if not text:
            return
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + " " + text)
        else:
            self.tokens.append(("text", text))


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def normalise_html(html: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return [t for t in parser.tokens if not (t[0] == "end" and t[1] in VOID)]


def load_fixtures(component: str) -> dict[str, dict]:
    data = json.loads((GOVUK_COMPONENTS / component / "fixtures.json").read_text())
    return {fixture["name"]: fixture for fixture in data["fixtures"]}
