"""``make screenshots`` must repeat byte for byte, or every run dirties the README's pictures."""

from __future__ import annotations

from pathlib import Path

from tui.screenshots import SHOTS, take_all

#: The overview (countdowns from the clock) and a profile's detail (file hash, import time,
#: actor): the screens where a wall-clock time or a fresh signature would show first.
WATCHED = [s for s in SHOTS if s.name in {"overview", "profile-detail"}]


async def test_two_fresh_demo_stores_give_identical_svgs(tmp_path: Path) -> None:
    """Each run builds its own demo store; nothing on screen may depend on when or where."""
    first = await take_all(tmp_path / "one", WATCHED)
    second = await take_all(tmp_path / "two", WATCHED)
    assert [p.name for p in first] == ["overview.svg", "profile-detail.svg"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two runs"
    overview = first[0].read_text(encoding="utf-8")
    assert "Warehouse" in overview and "CRITICAL" in overview
