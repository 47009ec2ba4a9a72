"""The console's integrity words: the app detail's rows and triage's action."""

from __future__ import annotations

from datetime import UTC, datetime

from store.formats.ipa import read_ipa
from tests.formats.oracle import REAL
from tui.screens.app_detail import integrity_rows
from tui.screens.triage_items import TriageItem, action_hint


def test_the_app_detail_lists_each_problem_and_the_fix() -> None:
    app = read_ipa(REAL / "apps" / "app_info__iphone.ipa").app
    rows = integrity_rows(app)
    assert [label for label, _ in rows] == ["weak-signature", "weak-signature", "Fix"]
    assert str(rows[0][1]).startswith("AppInfoDemo.app/AppInfoDemo: CodeDirectory version 0x20200")
    assert rows[-1] == ("Fix", "rebuild or re-sign the app")


def test_an_intact_app_says_so() -> None:
    app = read_ipa(REAL / "apps" / "app_info__embedded.ipa").app
    assert integrity_rows(app) == [("ok", "2 code items: every signature and seal holds")]


def test_triage_says_rebuild_or_re_sign() -> None:
    item = TriageItem("com.acme.mail", "Mail", datetime(2026, 6, 1, tzinfo=UTC), "integrity", ("Sales",),
                      True, False, None, "")
    assert action_hint(item) == "rebuild/re-sign (r: mark)"
