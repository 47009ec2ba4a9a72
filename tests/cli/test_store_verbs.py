"""The store verbs through the real command line: exit codes, ``provdesk: CODE: message``, ``--json`` keys."""

from __future__ import annotations

import base64
import csv
import grp
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from store.model import ALL_DEVICES, ALL_USERS
from tests.db.conftest import REAL_APPS, REAL_PROFILES, importable
from tests.db.factory import ProfileFactory

ROOT = Path(__file__).resolve().parents[2]
ENTERPRISE = REAL_PROFILES / "app_info__embedded.ipa__Demo.app_embedded.mobileprovision"
ENTERPRISE_UUID = "1f67e425-350e-434c-9077-9e0791347bbf"
ADHOC = REAL_PROFILES / "app_info__ios_adhoc.mobileprovision"


def run(store: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``provdesk --store STORE ARGS...`` as a user would type it."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--store", str(store), *args],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=60,
    )


def run_json(store: Path, *args: str) -> Any:
    proc = run(store, *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def fails(proc: subprocess.CompletedProcess[str], code: str) -> str:
    """Assert the one-line error form and exit 2; returns the message."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    prefix = f"provdesk: {code}: "
    assert proc.stderr.startswith(prefix), proc.stderr
    return proc.stderr[len(prefix):]


def test_import_batch_reports_each_file_and_exits_2(tmp_path: Path) -> None:
    files = sorted(str(p) for p in REAL_PROFILES.iterdir())
    proc = run(tmp_path, "import", *files, "--json")
    assert proc.returncode == 2
    rows = json.loads(proc.stdout)
    assert [r["file"] for r in rows] == [Path(f).name for f in files]
    for row in rows:
        assert set(row) == {"file", "status", "uuid", "name", "type", "expires", "error", "notes"}
        assert row["status"] == ("imported" if importable(row["file"]) else "failed")
        assert (row["error"] is None) == importable(row["file"])
    human = run(tmp_path, "import", *files)
    assert human.returncode == 2
    tampered = "fastlane__match__test.provisionprofile.mobileprovision"
    assert f"provdesk: signature-mismatch: {tampered}: " in human.stderr
    assert human.stdout.count("unchanged") == sum(importable(Path(f).name) for f in files)
    again = run(tmp_path, "import", str(ENTERPRISE))
    assert again.returncode == 0
    assert again.stdout.startswith("unchanged")


def test_profiles_show_delete_prune(tmp_path: Path) -> None:
    run(tmp_path, "import", str(ENTERPRISE), "--name", "Field", "--description", "field staff")
    run(tmp_path, "import", str(ADHOC))
    rows = run_json(tmp_path, "profiles")
    assert {"uuid", "name", "display_name", "expires", "type", "trust"} <= set(rows[0])
    by_uuid = {r["uuid"]: r for r in rows}
    assert by_uuid[ENTERPRISE_UUID]["display_name"] == "Field"
    assert by_uuid[ENTERPRISE_UUID]["type"] == "enterprise"
    shown = run_json(tmp_path, "show", "1f67")
    assert shown["uuid"] == ENTERPRISE_UUID and shown["description"] == "field staff"
    assert "Field" in run(tmp_path, "show", "Field").stdout
    message = fails(run(tmp_path, "show", "nothing-like-it"), "unknown-ref")
    assert "Field" in message and ENTERPRISE_UUID in message
    fails(run(tmp_path, "import", str(ENTERPRISE), str(ADHOC), "--name", "X"), "bad-usage")
    pruned = run_json(tmp_path, "prune", "--expired-before", "2021-01-01")
    assert [p["name"] for p in pruned] == ["iOS Full AdHoc"]
    assert run(tmp_path, "delete", "Field").returncode == 0
    assert run_json(tmp_path, "profiles") == []


def test_groups_assign_and_the_kind_warning(tmp_path: Path) -> None:
    run(tmp_path, "import", str(ENTERPRISE))
    assert run(tmp_path, "group", "add", "Kiosks", "--kind", "device").returncode == 0
    assert run(tmp_path, "group", "add", "Sales", "--kind", "user", "--description", "sales").returncode == 0
    groups = run_json(tmp_path, "groups")
    assert [(g["name"], g["kind"]) for g in groups] == [
        (ALL_USERS, "user"), (ALL_DEVICES, "device"), ("Kiosks", "device"), ("Sales", "user")]
    proc = run(tmp_path, "assign", "1f67", "--include", ALL_USERS, "--exclude", "Kiosks")
    assert proc.returncode == 0
    assert "warning" in proc.stderr and "excludes nobody" in proc.stderr
    result = run_json(tmp_path, "assign", "1f67", "--include", "Sales")
    assert result["include"] == [ALL_USERS, "Sales"] and result["exclude"] == ["Kiosks"]
    assert result["warnings"]
    fails(run(tmp_path, "assign", "1f67", "--include", "Nobody"), "unknown-ref")
    fails(run(tmp_path, "group", "delete", "Kiosks"), "group-in-use")
    assert run(tmp_path, "group", "delete", "Kiosks", "--force").returncode == 0
    assert run_json(tmp_path, "profiles")[0]["exclude"] == []
    fails(run(tmp_path, "group", "delete", ALL_USERS), "builtin-group")
    cleared = run_json(tmp_path, "assign", ENTERPRISE_UUID, "--clear", "--include", ALL_DEVICES)
    assert cleared["include"] == [ALL_DEVICES]


def test_apps_by_hand_and_from_an_ipa(tmp_path: Path) -> None:
    run(tmp_path, "import", str(ENTERPRISE))
    by_hand = ["app", "add", "--bundle-id", "com.icyleaf.test.Demo", "--name", "Demo", "--profile", "1f67"]
    fails(run(tmp_path, *by_hand), "ambiguous-cert")
    cert = run_json(tmp_path, "show", "1f67")["certificates"][0]
    added = run_json(tmp_path, *by_hand, "--cert", cert)
    assert added["bundle_id"] == "com.icyleaf.test.Demo" and added["certificate_sha256"] == cert
    assigned = run_json(tmp_path, "app", "assign", "Demo", "--include", ALL_USERS)
    assert assigned["target"] == "com.icyleaf.test.Demo"
    apps = run_json(tmp_path, "apps")
    assert {"name", "bundle_id"} <= set(apps[0]) and apps[0]["include"] == [ALL_USERS]
    fails(run(tmp_path, "app", "add", str(REAL_APPS / "app_info__embedded.ipa")), "duplicate-app")
    assert run(tmp_path, "app", "delete", "Demo").returncode == 0
    from_ipa = run_json(tmp_path, "app", "add", str(REAL_APPS / "app_info__embedded.ipa"))
    assert from_ipa["profile_uuid"] == ENTERPRISE_UUID and from_ipa["version"] == "1.0"


def test_trust_gates_imports_and_log_names_the_ssh_user(tmp_path: Path) -> None:
    factory = ProfileFactory("cli")
    pem = tmp_path / "root.pem"
    pem.write_bytes(factory.root_pem)
    profile = tmp_path / "demo.mobileprovision"
    profile.write_bytes(factory.profile(1, name="Demo profile"))
    store = tmp_path / "store"
    assert run(store, "import", str(profile)).returncode == 2
    env = {"SUDO_USER": "alice", "SSH_CONNECTION": "192.0.2.7 50000 192.0.2.1 22"}
    assert run(store, "trust", "add", str(pem), "--label", "CLI root", env=env).returncode == 0
    anchors = run_json(store, "trust", "list")
    assert [a["label"] for a in anchors][1:] == ["CLI root"] and anchors[0]["builtin"]
    assert run(store, "import", str(profile), env=env).returncode == 0
    events = run_json(store, "log")
    assert [e["action"] for e in events] == ["profile.import", "trust.add"]
    assert (events[0]["actor"], events[0]["client"]) == ("alice", "192.0.2.7")
    assert [e["action"] for e in run_json(store, "log", "--subject", "Demo profile")] == ["profile.import"]
    assert len(run_json(store, "log", "--limit", "1")) == 1
    assert run(store, "trust", "remove", "CLI root").returncode == 0
    fails(run(store, "trust", "remove", "Apple Root CA"), "builtin-anchor")


def test_export_json_csv_and_graph(tmp_path: Path) -> None:
    run(tmp_path, "import", str(ENTERPRISE), "--description", "for the field")
    run(tmp_path, "group", "add", "Sales", "--kind", "user")
    run(tmp_path, "assign", "1f67", "--include", ALL_USERS, "--include", "Sales", "--exclude", ALL_DEVICES)
    data = json.loads(run(tmp_path, "export", "--format", "json").stdout)
    assert {"schema", "profiles", "apps", "groups", "assignments", "anchors", "thresholds"} <= set(data)
    rows = list(csv.DictReader(io.StringIO(run(tmp_path, "export", "--format", "csv").stdout)))
    assert rows[0]["id"] == ENTERPRISE_UUID and rows[0]["include"] == f"{ALL_USERS};Sales"
    out = tmp_path / "graph.json"
    assert run(tmp_path, "export", "--format", "graph", "--output", str(out)).returncode == 0
    [entry] = json.loads(out.read_text())
    body = entry["configuration"]
    assert body["@odata.type"] == "#microsoft.graph.iosLobAppProvisioningConfiguration"
    assert base64.b64decode(body["payload"]) == ENTERPRISE.read_bytes()
    assert (body["description"], body["expirationDateTime"]) == ("for the field", "2022-01-15T06:40:53Z")
    assert body["payloadFileName"] == ENTERPRISE.name and body["version"] == 1
    targets = [a["target"] for a in entry["assignments"]]
    assert targets == [
        {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"},
        {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "Sales"},
    ]
    assert entry["groupIdPlaceholders"] == ["Sales"] and len(entry["notes"]) == 2


def test_init_doctor_and_settings(tmp_path: Path) -> None:
    team = tmp_path / "team"
    group = grp.getgrgid(os.getgid()).gr_name
    assert run(team, "init", "--shared-group", group).returncode == 0
    assert stat.S_IMODE(team.stat().st_mode) == 0o2770
    fails(run(team, "init"), "store-exists")
    assert run(team, "doctor").returncode == 0
    assert run_json(team, "settings", "--critical-days", "5")["critical_days"] == 5
    (team / "store.json").write_text("{")
    proc = run(team, "doctor")
    assert proc.returncode == 2 and "not valid JSON" in proc.stdout
    fails(run(team, "profiles"), "store-corrupt")
    assert (team / "store.json").read_text() == "{"


@pytest.mark.parametrize("verb", [["profiles"], ["apps"], ["groups"], ["trust", "list"], ["log"]])
def test_list_verbs_print_a_list(tmp_path: Path, verb: list[str]) -> None:
    assert run(tmp_path, "init").returncode == 0
    assert isinstance(run_json(tmp_path, *verb), list)


@pytest.mark.parametrize("verb", [["profiles"], ["apps"], ["groups"], ["log"], ["delete", "x"], ["timeline"]])
def test_verbs_that_add_nothing_never_create_a_store(tmp_path: Path, verb: list[str]) -> None:
    """A mistyped --store path is reported as missing, not shown as an empty store."""
    missing = tmp_path / "typo"
    fails(run(missing, *verb), "store-missing")
    assert not missing.exists()


def test_log_names_a_deleted_profile_and_says_when_nothing_matches(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run(store, "import", str(ADHOC), "--name", "Old ad hoc").returncode == 0
    uuid = run_json(store, "profiles")[0]["uuid"]
    assert run(store, "delete", uuid).returncode == 0
    log = run(store, "log", "--subject", uuid[:6])
    assert log.returncode == 0 and "profile.delete  profile 'Old ad hoc' (deleted)" in log.stdout
    assert "profile.import" in run(store, "log", "--subject", "Old ad hoc").stdout
    assert "Nothing here" in fails(run(store, "log", "--subject", "Nothing here"), "unknown-ref")


def test_log_limit_is_a_count(tmp_path: Path) -> None:
    """``--limit -1`` once printed every event but the oldest (a slice); a count is zero or more."""
    store = tmp_path / "store"
    assert run(store, "import", str(ADHOC), "--name", "Old ad hoc").returncode == 0
    assert run(store, "group", "add", "Sales", "--kind", "user").returncode == 0
    assert "cannot be negative" in fails(run(store, "log", "--limit", "-1"), "usage")
    assert "not a whole number" in fails(run(store, "log", "--limit", "two"), "usage")
    assert run_json(store, "log", "--limit", "0") == []
    assert len(run_json(store, "log", "--limit", "1")) == 1


def test_cli_consistency(tmp_path: Path) -> None:
    """Issue 10: --now in --help, usage errors as provdesk errors (JSON with --json), show prints
    lists as text, export --output is 0600, CSV columns mean one thing for profiles and apps."""
    assert "--now ISO-8601" in run(tmp_path, "--help").stdout
    assert "--now ISO-8601" in run(tmp_path, "timeline", "--help").stdout
    assert "required: REF" in fails(run(tmp_path, "show"), "usage")
    error = run(tmp_path, "show", "--json")
    assert error.returncode == 2 and json.loads(error.stderr)["error"]["code"] == "usage"
    unknown = run(tmp_path, "show", "nothing", "--json")
    assert unknown.returncode == 2
    assert json.loads(unknown.stderr)["error"]["code"] in {"store-missing", "unknown-ref"}
    run(tmp_path, "import", str(ENTERPRISE))
    run(tmp_path, "group", "add", "Sales", "--kind", "user")
    run(tmp_path, "assign", "1f67", "--include", "Sales", "--include", ALL_USERS)
    shown = run(tmp_path, "show", "1f67").stdout
    assert "[" not in shown.split("entitlement:")[0] and f"include: {ALL_USERS}, Sales" in shown
    assert run(tmp_path, "app", "add", str(REAL_APPS / "app_info__embedded.ipa")).returncode == 0
    out = tmp_path / "export.csv"
    out.write_text("old")
    out.chmod(0o644)
    assert run(tmp_path, "export", "--format", "csv", "--output", str(out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    profile_row, app_row = csv.DictReader(io.StringIO(out.read_text()))
    assert (profile_row["kind"], app_row["kind"]) == ("profile", "app")
    assert profile_row["profile_type"] == app_row["profile_type"] == "enterprise"
    assert profile_row["profile_trust"] == app_row["profile_trust"] == "apple"
    assert app_row["certificate_expires"].endswith("Z") and profile_row["certificate_expires"].endswith("Z")


def test_the_console_on_a_missing_store_says_so_and_creates_only_on_yes(tmp_path: Path) -> None:
    """Issue 10: a mistyped store path is not an empty store offering the demo."""
    from store.errors import StoreError
    from tui.commands.storeio import offer_to_create

    missing = tmp_path / "typo"
    asked: list[str] = []
    with pytest.raises(StoreError) as refused:
        offer_to_create(missing, lambda q: asked.append(q) or "")
    assert refused.value.code == "store-missing" and not missing.exists()
    assert "there is no store at" in asked[0] and "[y/N]" in asked[0]
    offer_to_create(missing, lambda q: "y")  # yes: the console goes on to create it
    console = subprocess.run([sys.executable, "-m", "tui.cli", "--store", str(missing)], cwd=ROOT,
                             capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert console.returncode == 2 and console.stderr.startswith("provdesk: store-missing: ")
    assert not missing.exists()


def test_verb_table_matches_what_the_modules_register(tmp_path: Path) -> None:
    """A command imports only the modules its words name, so the table must be exact and complete."""
    import argparse
    import importlib
    import pkgutil

    import tui.cli
    from tui import commands

    found = {info.name for info in pkgutil.iter_modules(commands.__path__)}
    registering = {n for n in found if hasattr(importlib.import_module(f"tui.commands.{n}"), "register")}
    assert set(tui.cli.VERB_MODULES) == registering
    for name, verbs in tui.cli.VERB_MODULES.items():
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"tui.commands.{name}").register(subparsers, lambda p: None)
        assert tuple(subparsers.choices) == verbs, name
    assert tui.cli.verb_modules(["--store", "check", "timeline"]) == ["timeline", "check"]
    assert tui.cli.verb_modules(["timeline", "--help"]) == list(tui.cli.VERB_MODULES)
    assert tui.cli.verb_modules(["nonsense"]) == list(tui.cli.VERB_MODULES)
    # A store directory named like a verb is still only a store; the real verb still runs.
    assert "no store at" in fails(run(tmp_path / "check", "timeline"), "store-missing")
    assert "invalid choice: 'nonsense'" in fails(run(tmp_path, "nonsense"), "usage")
    assert "intune" in run(tmp_path, "--help").stdout
