"""``provdesk store copy``: a directory to PostgreSQL and back gives the same export and the same log."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.clock import fixed_clock
from store.db import Store
from tests.db.conftest import NOW, REAL_APPS
from tests.db.factory import ProfileFactory
from tui.cli import main


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main([*argv, "--now", "2026-06-01T00:00:00Z"]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_there_and_back_keeps_export_and_log(
    tmp_path: Path, pg_url: str, factory: ProfileFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    start = tmp_path / "start"
    store = Store.open(start, fixed_clock(NOW))
    store.add_anchor(factory.root_pem, "test root", demo=True)
    outcomes = store.import_profiles([(f"p{i}.mobileprovision", factory.profile(i)) for i in range(6)])
    store.add_group("Sales", "user")
    store.add_group("Kiosks", "device")
    store.assign("profile", outcomes[0].profile.uuid, ["Sales"], ["Kiosks"])  # type: ignore[union-attr]
    store.update_profile(outcomes[1].profile.uuid, display_name="Renamed")  # type: ignore[union-attr]
    store.add_app_from_ipa("app.ipa", next(REAL_APPS.glob("*.ipa")))
    store.set_thresholds(5, 40)
    store.delete_profile(outcomes[2].profile.uuid)  # type: ignore[union-attr]
    back = tmp_path / "back"

    _cli(capsys, "store", "copy", str(start), pg_url)
    _cli(capsys, "store", "copy", pg_url, str(back))

    views = [("export", "--format", "json"), ("log", "--json"), ("apps", "--json")]
    for view in views:
        there = [_cli(capsys, "--store", str(where), *view) for where in (start, pg_url, back)]
        assert there[0] == there[1] == there[2], view
    assert Store.open(pg_url, fixed_clock(NOW)).profile_bytes(outcomes[0].profile.uuid) == \
        store.profile_bytes(outcomes[0].profile.uuid)  # type: ignore[union-attr]


def test_a_store_with_data_is_never_copied_into(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.open(pg_url, fixed_clock(NOW)).add_group("Sales", "user")
    Store.open(tmp_path / "s", fixed_clock(NOW)).add_group("Other", "user")
    assert main(["store", "copy", str(tmp_path / "s"), pg_url]) == 2
    assert "store-not-empty" in capsys.readouterr().err
    assert [g.name for g in Store.open(pg_url, fixed_clock(NOW)).fleet().groups][2:] == ["Sales"]
