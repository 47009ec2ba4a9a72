"""Cutting text to a column without making two different things read the same.

An end ellipsis turns "Bluefin In-House Wildcard" and "Bluefin In-House Wildcard 2024"
into the same "Bluefin In-House Wildca…". When the text ends in a short last word (a
year, a version, a number, a closing quote), that word is what tells such names apart, so
it is kept and the ellipsis goes in the middle: "Bluefin In-House W… 2024".
"""

from __future__ import annotations

from rich.text import Text

ELLIPSIS = "…"


def fit(text: Text, width: int) -> Text:
    """``text`` in at most ``width`` cells, keeping its last word when that word is short."""
    if text.cell_len <= width:
        return text.copy()
    plain = text.plain.rstrip()
    space = plain.rfind(" ")
    tail = len(plain) - space if space > 0 else 0  # the last word with its leading space
    if 0 < tail <= width // 3 and plain.isprintable() and len(plain) == text.cell_len:
        head = width - tail - 1
        return text[:head] + Text(ELLIPSIS) + text[space: len(plain)]
    cut = text.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut
