"""A one-line bar across the coming months: today, and where profiles and certificates expire.

Readable without colour: ``┃`` is today, ``P`` a profile expiry, ``C`` a certificate
expiry, ``◆`` both in one cell, ``›`` something beyond the bar's end. The bar is one plain
span: the timeline gives it the theme's colour, and one span is one escape code on the wire.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from rich.text import Text

MONTHS = 12
SPAN = timedelta(days=365)
_LETTERS = "JFMAMJJASOND"


def _column(moment: datetime, now: datetime, width: int) -> int:
    """The cell a moment falls in; cell 0 is today."""
    fraction = (moment - now) / SPAN
    return 1 + int(fraction * (width - 1))


def expiry_bar(now: datetime, marks: Iterable[tuple[datetime, str]], width: int) -> Text:
    """The bar for one group; ``marks`` are (moment, "profile" | "certificate")."""
    cells = ["·"] * width
    kinds: list[set[str]] = [set() for _ in range(width)]
    for moment, kind in marks:
        if moment < now:
            continue
        column = _column(moment, now, width)
        if column >= width:
            cells[width - 1] = "›"
            continue
        kinds[column].add(kind)
    for column, found in enumerate(kinds):
        if len(found) > 1:
            cells[column] = "◆"
        elif found:
            cells[column] = "P" if "profile" in found else "C"
    # One style for the whole bar: the marks are letters, so they read without bold or
    # colour, and a bar of one span costs one escape code instead of one per run of cells.
    return Text("┃" + "".join(cells[1:]), no_wrap=True)


def month_ruler(now: datetime, width: int) -> Text:
    """Month initials above the bar, each at the cell where that month begins."""
    cells = [" "] * width
    cells[0] = "▼"
    month = now.month
    year = now.year
    for _ in range(MONTHS + 1):
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
        start = now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
        column = _column(start, now, width)
        if 0 < column < width:
            cells[column] = _LETTERS[month - 1]
    return Text("".join(cells), style="dim", no_wrap=True)
