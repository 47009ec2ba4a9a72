"""``provdesk inspect`` through the real command line: JSON keys, exit codes, human blocks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.formats.oracle import APPLE_ROOT_FILE, REAL, expected

PROFILE_KEYS = {
    "name", "uuid", "app_id_name", "app_id", "team_id", "team_name", "platforms", "created", "expires",
    "type", "device_count", "entitlements", "certificates", "signature", "trust",
}
APP_KEYS = {
    "name", "bundle_id", "version", "build", "min_os", "signing_certificate", "entitlements",
    "embedded_profile", "nested", "checks", "refused",
}


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI against an empty store location (nothing may be written there)."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--store", str(tmp_path / "store"), "inspect", *args],
        capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[2],
    )


def test_json_for_a_good_profile_and_app(tmp_path: Path) -> None:
    """Every documented key, dates with Z, ok true, exit 0; nothing written next to the store."""
    profile = REAL / "profiles" / "app_info__ios_adhoc.mobileprovision"
    app = REAL / "apps" / "app_info__embedded.ipa"
    run = _run(tmp_path, "--json", str(profile), str(app))
    assert run.returncode == 0, run.stderr
    first, second = json.loads(run.stdout)
    assert (first["kind"], first["ok"], first["error"]) == ("profile", True, None)
    assert set(first["profile"]) >= PROFILE_KEYS
    facts = expected()["profiles"][profile.name]
    assert first["profile"]["created"] == facts["CreationDate"]
    assert first["profile"]["trust"] == "apple"
    cert_keys = {"common_name", "sha256", "not_before", "not_after", "kind"}
    assert set(first["profile"]["certificates"][0]) >= cert_keys
    assert (second["kind"], second["ok"]) == ("app", True)
    assert set(second["app"]) >= APP_KEYS
    assert second["app"]["checks"]["certificate_in_profile"] is True
    nested = [n["path"] for n in second["app"]["nested"]]
    assert nested == ["Frameworks/CarPlay.framework", "PlugIns/Notification.appex"]
    assert not (tmp_path / "store").exists()


def test_tampered_profile_shows_facts_and_the_error(tmp_path: Path) -> None:
    """An invalid signature: the facts are there, ``ok`` is false with ``signature-mismatch``, exit 2."""
    path = REAL / "profiles" / "fastlane__match__test.provisionprofile.mobileprovision"
    run = _run(tmp_path, "--json", str(path))
    assert run.returncode == 2
    (entry,) = json.loads(run.stdout)
    assert entry["ok"] is False and entry["error"]["code"] == "signature-mismatch"
    assert entry["profile"]["uuid"] == expected()["profiles"][path.name]["UUID"]


def test_kind_comes_from_the_bytes_not_the_extension(tmp_path: Path) -> None:
    """A zip named .mobileprovision is an app; an unreadable file is an error, not a traceback."""
    disguised = tmp_path / "app.mobileprovision"
    disguised.write_bytes((REAL / "bad-apps" / "isign__NotAnApp.ipa").read_bytes())
    run = _run(tmp_path, "--json", str(disguised), str(tmp_path / "missing.ipa"))
    assert run.returncode == 2
    entries: list[dict[str, Any]] = json.loads(run.stdout)
    assert [(e["kind"], e["error"]["code"]) for e in entries] == [
        ("app", "no-app-bundle"), ("profile", "unreadable-file"),
    ]
    assert "Traceback" not in run.stderr


def test_human_output_has_a_block_and_code_lines(tmp_path: Path) -> None:
    """Readable output: the path header, facts, and ``CODE: message`` for each failure."""
    empty = REAL / "profiles" / "fastlane__gym__dummy_EMPTY.mobileprovision"
    isign = REAL / "profiles" / "isign__test.mobileprovision"
    run = _run(tmp_path, str(empty), str(isign))
    assert run.returncode == 2
    assert f"{empty}  (profile)" in run.stdout
    assert "  empty: the file is empty" in run.stdout
    assert "UUID:         f4d8aa37-45a7-4304-960c-1291e1a5a0f3" in run.stdout
    assert "  untrusted: " in run.stdout


def test_trust_option_accepts_a_pem_or_der_root(tmp_path: Path) -> None:
    """``--trust`` takes a root file; a file that is not a certificate is a usage error with a code."""
    path = REAL / "profiles" / "app_info__ios_adhoc.mobileprovision"
    ok = _run(tmp_path, "--json", "--trust", str(APPLE_ROOT_FILE), str(path))
    assert ok.returncode == 0 and json.loads(ok.stdout)[0]["profile"]["trust"] == "apple"
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("hello")
    bad = _run(tmp_path, "--trust", str(bogus), str(path))
    assert bad.returncode == 2
    assert "provdesk: not-a-certificate:" in bad.stderr


def test_an_expired_app_says_ios_refuses_it_and_a_non_zip_ipa_is_an_app(tmp_path: Path) -> None:
    """Issue 10: inspect names what expired and that iOS refuses it; not-an-ipa.ipa is not "(profile)"."""
    app = REAL / "apps" / "app_info__iphone.ipa"
    bad = REAL / "bad-apps" / "fastlane__fastlane_core__not-an-ipa.ipa"
    run = _run(tmp_path, "--now", "2026-11-29T12:00:00Z", str(app), str(bad))
    assert run.returncode == 2
    assert "Refused:      its signing certificate expired on 2017-04-14T07:56:18Z: iOS refuses" in run.stdout
    assert "its embedded profile expired on 2017-07-27T09:44:49Z" in run.stdout
    assert f"{bad}  (app)" in run.stdout and "not-a-zip:" in run.stdout
    fresh = _run(tmp_path, "--json", "--now", "2017-01-01T00:00:00Z", str(app))
    assert json.loads(fresh.stdout)[0]["app"]["refused"] == []
