"""The engine's verbs through the real command line: timeline JSON shape, check's exit codes, preflight.

The store is built with the store verbs from real fixtures (the in-house Demo app and its
enterprise profile), exactly as an admin would, and the clock is frozen with ``--now``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / ".." / "shared" / "fixtures" / "real"
PROFILE = REAL / "profiles" / "app_info__embedded.ipa__Demo.app_embedded.mobileprovision"
IPA = REAL / "apps" / "app_info__embedded.ipa"
UUID = "1f67e425-350e-434c-9077-9e0791347bbf"
BUNDLE = "com.icyleaf.test.Demo"
VALID = "2021-06-01T00:00:00Z"
NEAR_EXPIRY = "2022-01-10T00:00:00Z"  # five days before the profile expires


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``provdesk --store STORE ARGS...`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--store", str(store), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"},
    )


def ok(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run(store, *args)
    assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    return proc


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo app in All users, its profile in All users minus Executives; Sales and Executives exist."""
    path = tmp_path_factory.mktemp("store")
    ok(path, "import", str(PROFILE))
    ok(path, "app", "add", str(IPA))
    ok(path, "group", "add", "Sales", "--kind", "user")
    ok(path, "group", "add", "Executives", "--kind", "user")
    ok(path, "group", "add", "Kiosk iPads", "--kind", "device")
    ok(path, "app", "assign", BUNDLE, "--include", "All users")
    ok(path, "assign", UUID, "--include", "All users", "--exclude", "Executives")
    return path


def timeline(store: Path, now: str) -> Any:
    return json.loads(ok(store, "timeline", "--json", "--now", now).stdout)


def test_timeline_json_has_exactly_the_documented_keys(store: Path) -> None:
    data = timeline(store, VALID)
    assert set(data) == {"now", "groups"} and data["now"] == VALID
    group_keys = {"group", "kind", "status", "breaks_at", "seconds_left", "reason", "app", "profile", "items"}
    item_keys = {"app", "breaks_at", "reason", "profile", "certificate_expires", "resign_required"}
    assert all(set(g) == group_keys for g in data["groups"])
    sales = next(g for g in data["groups"] if g["group"] == "Sales")
    assert sales["items"] and all(set(i) == item_keys for i in sales["items"])
    assert (sales["app"], sales["profile"], sales["reason"]) == (BUNDLE, UUID, "profile")
    assert (sales["breaks_at"], sales["status"], sales["kind"]) == ("2022-01-15T06:40:53Z", "ok", "user")
    assert sales["items"][0]["certificate_expires"] == "2022-06-19T11:29:49Z"


def test_timeline_sorted_by_urgency_with_empty_groups_last(store: Path) -> None:
    groups = timeline(store, NEAR_EXPIRY)["groups"]
    breaks = [g["breaks_at"] for g in groups]
    dated = [b for b in breaks if b is not None]
    assert dated == sorted(dated) and breaks[: len(dated)] == dated
    assert [g["status"] for g in groups if g["breaks_at"]] == ["critical"] * len(dated)
    kiosk = next(g for g in groups if g["group"] == "Kiosk iPads")
    assert (kiosk["status"], kiosk["breaks_at"], kiosk["items"]) == ("ok", None, [])


def test_timeline_warns_about_an_exclusion_that_excludes_nobody(tmp_path: Path) -> None:
    ok(tmp_path, "import", str(PROFILE))
    ok(tmp_path, "group", "add", "Kiosk iPads", "--kind", "device")
    ok(tmp_path, "assign", UUID, "--include", "All users", "--exclude", "Kiosk iPads")
    proc = ok(tmp_path, "timeline", "--json", "--now", VALID)
    assert "'Kiosk iPads' is a device group: excluding it under All users excludes nobody" in proc.stderr
    assert json.loads(proc.stdout)["groups"][0]["group"] == "All users"  # its profiles count down


def test_timeline_human_table(store: Path) -> None:
    lines = ok(store, "timeline", "--now", NEAR_EXPIRY).stdout.splitlines()
    assert lines[0].split()[:3] == ["GROUP", "KIND", "STATUS"]
    assert any(line.startswith("Sales") and "critical" in line and "5d 6h" in line for line in lines)


def test_check_is_silent_and_exits_0_when_nothing_breaks_in_the_window(store: Path) -> None:
    proc = run(store, "check", "--now", VALID)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_check_lists_each_break_and_exits_1(store: Path) -> None:
    proc = run(store, "check", "--now", NEAR_EXPIRY)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert f"Sales\t{BUNDLE}\t2022-01-15T06:40:53Z\tprofile" in lines
    assert len(lines) == 3  # All users, Sales, Executives (by the embedded profile)
    assert run(store, "check", "--now", VALID, "--within", "300").returncode == 1
    assert run(store, "check", "--now", NEAR_EXPIRY, "--within", "1").returncode == 0


def test_check_json(store: Path) -> None:
    proc = run(store, "check", "--json", "--now", NEAR_EXPIRY, "--within", "10")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert (data["ok"], data["within_days"], data["now"]) == (False, 10, NEAR_EXPIRY)
    assert {b["group"] for b in data["breaking"]} == {"All users", "Sales", "Executives"}
    assert set(data["breaking"][0]) == {"group", "app", "breaks_at", "reason", "profile", "resign_required"}


def test_check_errors_exit_2(tmp_path: Path, store: Path) -> None:
    missing = run(tmp_path / "nowhere", "check")
    assert missing.returncode == 2 and missing.stderr.startswith("provdesk: store-missing: ")
    assert run(store, "check", "--within", "-3").returncode == 2
    assert not (tmp_path / "nowhere").exists()


def test_check_imports_neither_textual_nor_the_readers(store: Path) -> None:
    """A cron ``check`` pays for no console, no file readers (asn1crypto, cryptography) and no psycopg."""
    script = (
        "import sys\nfrom tui.cli import main\n"
        f"code = main(['--store', {str(store)!r}, 'check', '--now', {VALID!r}])\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "heavy = {'textual', 'asn1crypto', 'cryptography', 'psycopg'} & loaded\n"
        "print(sorted(heavy), file=sys.stderr)\n"
        "sys.exit(10 + code if heavy else code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_preflight_by_stored_refs(store: Path) -> None:
    proc = run(store, "preflight", UUID[:8], BUNDLE, "--json", "--now", VALID)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["profile"], data["app"], data["group"], data["ok"]) == (UUID, BUNDLE, None, True)
    names = [c["name"] for c in data["checks"]]
    assert names == ["signature", "app-id", "certificate", "entitlements", "install", "expiry", "integrity"]


def test_preflight_failing_check_exits_1_with_its_reason(store: Path) -> None:
    proc = run(store, "preflight", UUID, BUNDLE, "--now", "2022-03-01T00:00:00Z")
    assert proc.returncode == 1
    assert "would NOT launch" in proc.stdout
    assert any(line.split()[:2] == ["FAIL", "expiry"] for line in proc.stdout.splitlines())


def test_preflight_of_files_needs_no_store(tmp_path: Path) -> None:
    adhoc = REAL / "profiles" / "Resigner__embedded.mobileprovision"
    proc = run(tmp_path / "none", "preflight", str(adhoc), str(IPA), "--json", "--now", VALID)
    assert proc.returncode == 1, proc.stderr
    failed = {c["name"] for c in json.loads(proc.stdout)["checks"] if not c["ok"]}
    # Another team's ad hoc profile for another app, expired in 2020: four checks fail.
    assert failed == {"app-id", "certificate", "entitlements", "expiry"}
    assert not (tmp_path / "none").exists()


def test_preflight_for_a_group_and_unknown_refs(store: Path) -> None:
    assert run(store, "preflight", UUID, BUNDLE, "--group", "Sales", "--now", VALID).returncode == 0
    unknown = run(store, "preflight", UUID, BUNDLE, "--group", "Nobody", "--now", VALID)
    assert unknown.returncode == 2 and unknown.stderr.startswith("provdesk: unknown-group: ")
    assert run(store, "preflight", "no-such-profile", BUNDLE).returncode == 2
