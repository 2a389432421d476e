"""Charts drawn on the server as SVG, so they read the same with JavaScript off and need no CDN.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>` (the text
summary), followed on the page by a table of the same figures. Colour never carries meaning alone:
the two lines of a line chart differ in dash and marker shape too, and every bar is labelled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 200
ROW_HEIGHT = 28
BAR_HEIGHT = 18
VALUE_GAP = 6
LINE_HEIGHT = 240
PLOT = {"left": 48, "right": 16, "top": 16, "bottom": 40}
SERIES_STYLES = [
    {"stroke": "#1d70b8", "dash": "", "marker": "circle"},
    {"stroke": "#0b0c0c", "dash": "6 4", "marker": "square"},
]


@dataclass
class BarRow:
    label: str
    value: float
    shown: str  # the value as people read it: "12", "85%", "£1,250.00"
    y: float = 0
    width: float = 0
    text_x: float = 0
    text_y: float = 0


@dataclass
class BarChart:
    key: str
    title: str
    summary: str
    rows: list[BarRow]
    value_heading: str = "Number"
    height: float = 0
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    def __post_init__(self) -> None:
        largest = max((r.value for r in self.rows), default=0) or 1
        room = WIDTH - LABEL_WIDTH - 80
        for i, row in enumerate(self.rows):
            row.y = i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
            row.width = round(room * row.value / largest, 1) if row.value > 0 else 0
            row.text_x = LABEL_WIDTH + row.width + VALUE_GAP
            row.text_y = row.y + BAR_HEIGHT / 2 + 5
        self.height = max(1, len(self.rows)) * ROW_HEIGHT


@dataclass
class Point:
    x: float
    y: float
    value: int


@dataclass
class Series:
    name: str
    values: list[int]
    style: dict = field(default_factory=dict)
    points: list[Point] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass
class LineChart:
    key: str
    title: str
    summary: str
    labels: list[str]
    series: list[Series]
    width: int = WIDTH
    height: int = LINE_HEIGHT
    top_value: int = 0
    ticks: list[tuple[float, int]] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    plot: dict = field(default_factory=lambda: dict(PLOT))

    def __post_init__(self) -> None:
        largest = max((v for s in self.series for v in s.values), default=0)
        self.top_value = _nice_top(largest)
        left, right, top, bottom = (
            PLOT["left"],
            WIDTH - PLOT["right"],
            PLOT["top"],
            LINE_HEIGHT - PLOT["bottom"],
        )
        self.plot.update(x0=left, x1=right, y0=bottom, y1=top)
        count = len(self.labels)
        step = (right - left) / (count - 1) if count > 1 else 0

        def x_at(i: int) -> float:
            return round(left + step * i, 1) if count > 1 else (left + right) / 2

        def y_at(value: int) -> float:
            return round(bottom - (bottom - top) * value / self.top_value, 1) if self.top_value else bottom

        for i, s in enumerate(self.series):
            s.style = SERIES_STYLES[i % len(SERIES_STYLES)]
            s.points = [Point(x_at(j), y_at(v), v) for j, v in enumerate(s.values)]
        self.ticks = (
            [(y_at(v), v) for v in (0, self.top_value // 2, self.top_value)]
            if self.top_value
            else [(bottom, 0)]
        )
        every = max(1, math.ceil(count / 6))
        self.x_labels = [(x_at(j), self.labels[j]) for j in range(0, count, every)]

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """The table under the chart: one row per label, one column per series."""
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]


def _nice_top(value: int) -> int:
    """The axis top: the value rounded up to 1, 2 or 5 times a power of ten (never below 1)."""
    if value <= 0:
        return 0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power
