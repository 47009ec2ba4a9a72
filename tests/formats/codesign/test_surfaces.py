"""Where integrity shows: ``inspect`` (text and JSON), preflight's seventh check, the timeline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store.model import Integrity, IntegrityProblem, replace
from store.rules.preflight import preflight
from store.rules.timeline import build_timeline
from tests.formats.oracle import REAL
from tests.rules.factory import NOW, app, assign, days, fleet, profile

ROOT = Path(__file__).resolve().parents[3]
BROKEN = Integrity(False, (IntegrityProblem("resource-modified", "Payload/Mail.app/a.png", "changed"),))
PROFILE_ONLY = Integrity(
    False, (IntegrityProblem("certificate-not-in-profile", "Payload/Mail.app/Mail", "x"),)
)


def _inspect(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--store", str(tmp_path / "s"), "inspect", *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )


def test_inspect_json_lists_each_bundle_with_its_cdhashes(tmp_path: Path) -> None:
    run = _inspect(tmp_path, "--json", str(REAL / "apps" / "app_info__embedded.ipa"))
    assert run.returncode == 0, run.stderr
    (entry,) = json.loads(run.stdout)
    integrity = entry["app"]["integrity"]
    assert integrity["ok"] is True and integrity["problems"] == []
    bundles = [
        (b["path"], b["kind"], b["team_id"], [c["cdhash"] for c in b["cdhashes"]])
        for b in integrity["bundles"]
    ]
    assert bundles == [
        ("Payload/Demo.app/PlugIns/Notification.appex/Notification", "appex", "72LA85G59H",
         ["e47d36116d7c441f9d49d5bae8ce9c2319740d03"]),
        ("Payload/Demo.app/Demo", "app", "72LA85G59H", ["c53eb946d413d3f2da67d683b48486156d1ac17a"]),
    ]


def test_inspect_fails_an_app_ios_would_refuse(tmp_path: Path) -> None:
    """ok false, the first problem as the error, exit 2; the text names every problem and cdhash."""
    path = str(REAL / "apps" / "app_info__iphone.ipa")
    run = _inspect(tmp_path, "--json", path)
    assert run.returncode == 2
    (entry,) = json.loads(run.stdout)
    assert entry["ok"] is False and entry["error"]["code"] == "weak-signature"
    text = _inspect(tmp_path, path).stdout
    assert "Integrity:    2 problems" in text
    assert "cdhash arm64 sha256 4f4551f63049b6a3fdd6ca533ac794e0ed4be2f0 (v0x20200)" in text
    assert text.count("weak-signature:") == 2


def test_preflight_integrity_check() -> None:
    """Broken code fails it whatever the profile; an embedded-profile problem is the profile's to cure."""
    mail = app()
    assert [c.name for c in preflight(profile("p"), mail, NOW).failed()] == []
    (check,) = preflight(profile("p"), replace(mail, integrity=BROKEN), NOW).failed()
    assert check.name == "integrity" and "resource-modified" in check.reason and "re-sign" in check.reason
    assert preflight(profile("p"), replace(mail, integrity=PROFILE_ONLY), NOW).ok


def test_the_timeline_breaks_a_broken_app_now() -> None:
    mail = replace(app(), integrity=BROKEN)
    situation = fleet([profile("p", expires=days(200))], [mail], (),
                      [assign("app", mail.bundle_id, ["All users"]), assign("profile", "p", ["All users"])])
    row = build_timeline(situation, NOW).group("All users")
    assert row is not None
    assert (row.reason, row.breaks_at, row.status, row.items[0].resign_required) == (
        "integrity", NOW, "expired", True)
