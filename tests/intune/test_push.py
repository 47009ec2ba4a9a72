"""Pushing over real HTTP: the diff first, the full set sent, removals only when confirmed, checked after."""

from __future__ import annotations

import base64
import json

import pytest

from bench.loopback_tenant import CONFIGS, include
from store.db import Store
from store.errors import ProvdeskError
from store.intune.diff import out_of_step
from store.intune.graph import GraphClient
from store.intune.mapping import target_key
from store.intune.sync import execute_push, prepare_push, pull
from tests.intune.conftest import FIELD_UUID, TOKEN, World, run_cli


def _client(world: World) -> GraphClient:
    return GraphClient(TOKEN, world.url)


def _keys(targets: list[dict[str, object]]) -> set[tuple[str, str | None]]:
    return {target_key(t) for t in targets}


def _assigns(world: World) -> list[str]:
    return [path for method, path in world.tenant.requests if method == "POST" and path.endswith("/assign")]


def test_edit_locally_then_push_sets_the_full_set(store: Store, world: World) -> None:
    with _client(world) as client:
        pull(store, client)
    store.assign("profile", FIELD_UUID, ["Warehouse devices"], [])
    profile = store.resolve_profile(FIELD_UUID)
    a = store.fleet().assignment_for("profile", FIELD_UUID)
    assert out_of_step(profile, a.include, a.exclude)
    done = run_cli("intune", "push", FIELD_UUID, "--json", store=store.root)
    assert done.returncode == 0, done.stderr
    assert "+ include Warehouse devices" in done.stderr
    assert _keys(world.tenant.targets(world.field)) == {
        ("groupAssignmentTarget", world.sales), ("groupAssignmentTarget", world.kiosks),
        ("groupAssignmentTarget", world.warehouse), ("exclusionGroupAssignmentTarget", world.field_staff)}
    sent = [b for m, p, b in world.tenant.bodies if p.endswith("/assign")]
    assert len(sent) == 1 and len(sent[0]["iOSLobAppProvisioningConfigAssignments"]) == 4  # whole set
    assert json.loads(done.stdout)["diff"]["added"] == [{"group": "Warehouse devices", "side": "include"}]
    after = store.resolve_profile(FIELD_UUID)
    assert not out_of_step(after, a.include | {"Warehouse devices"}, a.exclude)
    event = next(e for e in store.audit() if e.action == "intune.push")
    assert event.after["verified"]
    assert event.after["added"] == [{"group": "Warehouse devices", "side": "include"}]


def test_removal_is_never_sent_without_confirmation(store: Store, world: World) -> None:
    with _client(world) as client:
        pull(store, client)
    store.assign("profile", FIELD_UUID, [], [], clear=True)
    store.assign("profile", FIELD_UUID, ["Sales"], [])
    before = list(world.tenant.targets(world.field))
    refused = run_cli("intune", "push", FIELD_UUID, store=store.root)
    assert refused.returncode == 2
    assert "- include Kiosk iPads" in refused.stderr and "- exclude Field staff" in refused.stderr
    assert "provdesk: intune-not-confirmed:" in refused.stderr
    assert world.tenant.targets(world.field) == before and not _assigns(world)
    assert not [m for m, _ in world.tenant.requests if m in ("POST", "PATCH")]
    saying_no = run_cli("intune", "push", FIELD_UUID, store=store.root, stdin="y\n")  # not a TTY: no prompt
    assert saying_no.returncode == 2 and not _assigns(world)
    confirmed = run_cli("intune", "push", FIELD_UUID, "--yes", store=store.root)
    assert confirmed.returncode == 0, confirmed.stderr
    assert _keys(world.tenant.targets(world.field)) == {("groupAssignmentTarget", world.sales)}


def test_a_move_to_exclude_needs_confirmation_too(store: Store, world: World) -> None:
    with _client(world) as client:
        pull(store, client)
        store.assign("profile", FIELD_UUID, [], ["Kiosk iPads"])
        prepared = prepare_push(store, client, FIELD_UUID)
    assert [c.line("~") for c in prepared.diff.changed] == ["~ Kiosk iPads: include -> exclude"]
    assert prepared.diff.needs_confirmation and not prepared.diff.removed


def test_push_keeps_a_filter_and_a_target_provdesk_cannot_express(store: Store, world: World) -> None:
    filtered = dict(include(world.sales), deviceAndAppManagementAssignmentFilterId="flt-1",
                    deviceAndAppManagementAssignmentFilterType="include")
    foreign = {"@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget",
               "collectionId": "SMS00001"}
    world.tenant.assignments[world.field] = [{"id": "x", "target": filtered}, {"id": "y", "target": foreign},
                                             {"id": "z", "target": include(world.kiosks)}]
    with _client(world) as client:
        pull(store, client)
        store.assign("profile", FIELD_UUID, ["Warehouse devices"], [])
        execute_push(store, client, prepare_push(store, client, FIELD_UUID), reread_delay=0)
    held = world.tenant.targets(world.field)
    assert filtered in held and foreign in held and len(held) == 4


def test_group_deleted_between_pull_and_push(store: Store, world: World) -> None:
    with _client(world) as client:
        pull(store, client)
        store.assign("profile", FIELD_UUID, ["Warehouse devices"], [])
        del world.tenant.groups[world.warehouse]
        with pytest.raises(ProvdeskError) as caught:
            prepare_push(store, client, FIELD_UUID)
    assert caught.value.code == "intune-group-gone" and "Warehouse devices" in caught.value.message
    assert not _assigns(world)


def test_push_creates_a_missing_configuration_from_the_file(store: Store, world: World, factory) -> None:  # type: ignore[no-untyped-def]
    with _client(world) as client:
        pull(store, client)
    data = factory.profile(9, name="Renewed", app_id="com.example.field", days=700)
    outcome = store.import_profiles([("Renewed.mobileprovision", data)], display_name="Field 2028")[0]
    assert outcome.profile is not None
    store.assign("profile", outcome.profile.uuid, ["Sales"], ["Field staff"])
    done = run_cli("intune", "push", "Field 2028", store=store.root)
    assert done.returncode == 0, done.stderr
    created = [b for m, p, b in world.tenant.bodies if m == "POST" and p == CONFIGS]
    assert len(created) == 1
    body = created[0]
    assert base64.b64decode(body["payload"]) == data and body["payloadFileName"] == "Renewed.mobileprovision"
    assert body["expirationDateTime"] == "2027-12-02T00:00:00Z" and body["displayName"] == "Field 2028"
    cid = next(c for c, v in world.tenant.configs.items() if v["displayName"] == "Field 2028")
    assert _keys(world.tenant.targets(cid)) == {("groupAssignmentTarget", world.sales),
                                                ("exclusionGroupAssignmentTarget", world.field_staff)}
    events = len(store.audit())
    again = run_cli("intune", "push", "Field 2028", store=store.root)  # in step: nothing sent twice
    assert again.returncode == 0 and len(_assigns(world)) == 1
    assert "no change" in again.stderr and "unchanged" in again.stdout
    assert len(store.audit()) == events and "PATCH" not in {m for m, _ in world.tenant.requests}


def test_a_read_back_that_differs_fails_loudly(store: Store, world: World) -> None:
    with _client(world) as client:
        pull(store, client)
        store.assign("profile", FIELD_UUID, ["Warehouse devices"], [])
        prepared = prepare_push(store, client, FIELD_UUID)
        path = f"/beta/deviceAppManagement/iosLobAppProvisioningConfigurations/{world.field}/assignments"
        world.tenant.throttle(path, (200, {}, json.dumps({"value": []}).encode()),
                              (200, {}, json.dumps({"value": []}).encode()))
        with pytest.raises(ProvdeskError) as caught:
            execute_push(store, client, prepared, reread_delay=0.01)
    assert caught.value.code == "intune-verify-failed"
    profile = store.resolve_profile(FIELD_UUID)
    a = store.fleet().assignment_for("profile", FIELD_UUID)
    assert out_of_step(profile, a.include, a.exclude)  # the store says what Intune really holds
    assert not next(e for e in store.audit() if e.action == "intune.push").after["verified"]


def test_status_unavailable_and_available(store: Store, world: World) -> None:
    with _client(world) as client:
        pull(store, client)
    done = run_cli("intune", "status", FIELD_UUID, store=store.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["devices: status unavailable", "users: status unavailable"]
    world.tenant.statuses["deviceStatuses"] = [
        {"id": "d1", "deviceDisplayName": "iPad-07", "userPrincipalName": "ana@example.test",
         "status": "compliant", "platform": 8, "lastReportedDateTime": "2026-05-31T10:00:00Z"}]
    world.tenant.statuses["userStatuses"] = []
    data = json.loads(run_cli("intune", "status", FIELD_UUID, "--json", store=store.root).stdout)
    assert data["devices"][0]["deviceDisplayName"] == "iPad-07" and data["users"] is None
