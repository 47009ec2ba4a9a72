"""Truncation at 80x24 (issue 10): what is cut stays distinguishable and says it was cut."""

from __future__ import annotations

from rich.text import Text

from tests.tui.helpers import settle
from tui.app import ProvdeskApp
from tui.widgets.fit import fit
from tui.widgets.record_table import RecordTable


def test_fit_keeps_a_short_last_word_so_names_stay_apart() -> None:
    """The two wildcards used to read "Bluefin In-House Wildca…" both."""
    a = fit(Text("Bluefin In-House Wildcard"), 24).plain
    b = fit(Text("Bluefin In-House Wildcard 2024"), 24).plain
    assert a != b and b.endswith("… 2024") and len(b) == 24
    assert fit(Text("Short"), 24).plain == "Short"
    assert fit(Text("Warehouse Scanners"), 17).plain == "Warehouse Scanne…"


async def test_profiles_keep_the_two_wildcards_apart(demo_app: ProvdeskApp) -> None:
    """On screen 2 at 80 columns every shown name is unique."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = demo_app.screen.query_one(RecordTable)
        names = [table.render_line(y).text[1:25] for y in range(1, table.row_count + 1)
                 if y < table.size.height]
        assert len(names) == len(set(names))


async def test_descriptions_cut_by_the_edge_end_in_an_ellipsis(demo_app: ProvdeskApp) -> None:
    """Screen 4: a description running past the screen's edge ends in ``…``."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = demo_app.screen.query_one(RecordTable)
        lines = [table.render_line(y).text.rstrip() for y in range(1, table.row_count + 1)]
        executives = next(line for line in lines if "Executives" in line)
        assert executives.endswith("…")


async def test_certificate_lines_lead_with_their_date_and_end_in_an_ellipsis(demo_app: ProvdeskApp) -> None:
    """An app's signing certificate reads "until DATE" before its long common name, and a name
    cut by the edge ends in ``…`` (the line once wrapped inside its one-row box, so at 80
    columns it just stopped at "iPhone Distribution:")."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        from tui.widgets.facts import CertificateRow

        line = demo_app.screen.query(CertificateRow).first().query_one(".cert-line")
        assert str(line.render()).startswith("until 20")
        assert line.size.height == 1
        shown = line.render_line(0).text.rstrip()
        assert shown.startswith("until 20") and shown.endswith("…") and "iPhone Distribution: " in shown
