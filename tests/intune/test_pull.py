"""Pulling the loopback tenant over real HTTP: records, kinds, failures, idempotence, gone, dry run."""

from __future__ import annotations

import json

from store.db import Store
from store.intune.graph import GraphClient
from store.intune.sync import pull
from store.rules.timeline import build_timeline
from tests.intune.conftest import FIELD_UUID, NOW, TOKEN, World, run_cli


def _pull(store: Store, world: World, dry_run: bool = False):  # type: ignore[no-untyped-def]
    with GraphClient(TOKEN, world.url) as client:
        return pull(store, client, dry_run=dry_run)


def test_pull_imports_profiles_groups_and_apps(store: Store, world: World) -> None:
    plan = _pull(store, world)
    summary = plan.summary()
    added = {(e["kind"], e["name"]) for e in summary["added"]}
    assert {("profile", "Field 2027"), ("profile", "Fleet"), ("profile", "Spare"), ("app", "Field")} <= added
    assert [(f["kind"], f["id"], f["code"]) for f in summary["failed"]] == [
        ("profile", world.tampered, "signature-mismatch")]
    fleet = store.fleet()
    field = next(p for p in fleet.profiles if p.uuid == FIELD_UUID)
    assert field.display_name == "Field 2027" and field.description == "Field 2027 (pulled)"
    assert field.intune is not None and field.intune.intune_id == world.field
    assert field.intune.pulled_at == NOW and field.file_name == "Field.mobileprovision"
    assert store.profile_bytes(FIELD_UUID) == world.field_bytes
    kinds = {g.name: g.kind for g in fleet.groups if g.intune is not None}
    assert kinds == {"Sales": "user", "Kiosk iPads": "device", "Field staff": "user",
                     "Warehouse devices": "device"}
    a = fleet.assignment_for("profile", FIELD_UUID)
    assert (a.include, a.exclude) == ({"Sales", "Kiosk iPads"}, {"Field staff"})
    app = next(x for x in fleet.apps if x.bundle_id == "com.example.field")
    assert app.intune is not None and app.intune.expires is not None and app.signing_certificate is None
    assert (app.version, app.build) == ("3.1", "310")
    assert fleet.assignment_for("app", "com.example.field").include == {"Sales"}  # uninstall is no include
    timeline = build_timeline(fleet, NOW)
    sales = timeline.group("Sales")
    assert sales is not None and sales.app == "com.example.field" and sales.profile == FIELD_UUID


def test_second_pull_changes_nothing_and_audits_nothing(store: Store, world: World) -> None:
    _pull(store, world)
    events = len(store.audit())
    tables = {k: v for k, v in store.storage.tables.items() if k != "settings"}
    snapshot = json.dumps(tables, sort_keys=True, default=str)
    plan = _pull(store, world)
    assert not plan.summary()["added"] and not plan.summary()["updated"] and not plan.summary()["gone"]
    assert len(plan.summary()["unchanged"]) == 8  # 3 profiles, 1 app, 4 groups
    assert len(store.audit()) == events
    assert json.dumps({k: v for k, v in store.storage.tables.items() if k != "settings"},
                      sort_keys=True, default=str) == snapshot


def test_deleted_in_intune_is_marked_gone_never_deleted(store: Store, world: World) -> None:
    _pull(store, world)
    del world.tenant.configs[world.spare]
    world.tenant.groups.pop(world.warehouse)
    plan = _pull(store, world)
    gone = {(e["kind"], e["name"]) for e in plan.summary()["gone"]}
    assert gone == {("profile", "Spare"), ("group", "Warehouse devices")}
    spare = next(p for p in store.fleet().profiles if p.label == "Spare")
    assert spare.intune is not None and spare.intune.gone
    assert any(e.action == "intune.gone" for e in store.audit())


def test_dry_run_writes_nothing(store: Store, world: World) -> None:
    generation = store.storage.stamp
    plan = _pull(store, world, dry_run=True)
    assert len(plan.summary()["added"]) == 8
    assert store.storage.stamp == generation and not store.fleet().profiles


def test_pull_json_from_the_real_cli(store: Store, world: World) -> None:
    done = run_cli("intune", "pull", "--json", store=store.root)
    assert done.returncode == 2, done.stderr  # one payload failed; the rest is applied
    data = json.loads(done.stdout)
    assert list(data) == ["added", "updated", "gone", "failed", "unchanged"]
    assert all(set(row) == {"kind", "id", "name"} for row in data["added"])
    assert data["failed"][0]["code"] == "signature-mismatch"
    again = run_cli("intune", "pull", "--json", store=store.root)
    assert json.loads(again.stdout)["added"] == [] and len(json.loads(again.stdout)["unchanged"]) == 8


def test_adding_the_ipa_later_joins_the_pulled_app(store: Store, world: World) -> None:
    from tests.db.conftest import REAL_APPS

    ipa = REAL_APPS / "app_info__embedded.ipa"
    world.tenant.apps.append({"@odata.type": "#microsoft.graph.iosLobApp", "id": "app-demo", "displayName":
                              "Demo", "bundleId": "com.icyleaf.test.Demo", "versionNumber": "1.0",
                              "assignments": [{"id": "a", "intent": "available", "target": {
                                  "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}]})
    _pull(store, world)
    done = run_cli("app", "add", str(ipa), store=store.root)
    assert done.returncode == 0, done.stderr
    apps = [a for a in store.fleet().apps if a.bundle_id == "com.icyleaf.test.Demo"]
    assert len(apps) == 1 and apps[0].signing_certificate is not None and apps[0].file_sha256
    assert apps[0].intune is not None and apps[0].intune.intune_id == "app-demo" and apps[0].name == "Demo"
    assert store.fleet().assignment_for("app", "com.icyleaf.test.Demo").include == {"All devices"}
    assert not _pull(store, world).summary()["updated"]  # the .ipa's facts stand; nothing to change


def test_a_renamed_group_keeps_its_assignments(store: Store, world: World, factory) -> None:  # type: ignore[no-untyped-def]
    _pull(store, world)
    store.add_group("Local only", "user")
    local = store.import_profiles([("Local.mobileprovision", factory.profile(7, name="Local"))])[0].profile
    assert local is not None
    store.assign("profile", local.uuid, ["Kiosk iPads", "Local only"], [])
    world.tenant.groups[world.kiosks]["displayName"] = "Shop iPads"
    plan = _pull(store, world)
    assert ("group", "Shop iPads") in {(e["kind"], e["name"]) for e in plan.summary()["updated"]}
    fleet = store.fleet()
    names = {g.name for g in fleet.groups}
    assert "Shop iPads" in names and "Kiosk iPads" not in names and "Local only" in names
    assert fleet.assignment_for("profile", FIELD_UUID).include == {"Sales", "Shop iPads"}
    assert fleet.assignment_for("profile", local.uuid).include == {"Shop iPads", "Local only"}


def test_a_group_typed_into_provdesk_is_adopted_by_name(tmp_path, factory, world: World) -> None:  # type: ignore[no-untyped-def]
    from store.clock import fixed_clock

    store = Store.open(tmp_path / "s", fixed_clock(NOW))
    store.add_anchor(factory.root_pem, "root", demo=True)
    store.add_group("Sales", "device")
    _pull(store, world)
    sales = [g for g in store.fleet().groups if g.name.startswith("Sales")]
    assert len(sales) == 1 and sales[0].kind == "user" and sales[0].intune is not None


def test_pulled_records_say_their_source_in_json(store: Store, world: World) -> None:
    _pull(store, world)
    rows = json.loads(run_cli("profiles", "--json", store=store.root).stdout)
    field = next(r for r in rows if r["uuid"] == FIELD_UUID)
    assert field["source"] == "intune" and field["intune"] == {
        "id": world.field, "pulled_at": "2026-06-01T00:00:00Z", "gone": False,
        "expires": "2027-01-01T00:00:00Z"}
    listed = json.loads(run_cli("groups", "--json", store=store.root).stdout)
    groups = {g["name"]: g["source"] for g in listed}
    assert groups["Sales"] == "intune" and groups["All users"] == "provdesk"


def test_an_app_without_its_ipa_counts_down_to_intunes_expiry(store: Store, world: World) -> None:
    """An LOB app no pulled profile covers still launches until the expiry Intune reports for it."""
    world.tenant.apps[0].update(bundleId="com.example.other", expirationDateTime="2026-09-01T00:00:00Z")
    _pull(store, world)
    sales = build_timeline(store.fleet(), NOW).group("Sales")
    assert sales is not None and sales.app == "com.example.other"
    assert sales.reason == "profile" and sales.profile is None and sales.status == "ok"
    assert sales.breaks_at is not None and sales.breaks_at.isoformat() == "2026-09-01T00:00:00+00:00"
