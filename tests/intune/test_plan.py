"""The pure parts: group kinds, targets as sets, and pull plans decided without HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

from store.errors import ProvdeskError
from store.intune.mapping import Pulled, group_from_graph, group_kind, sets_of
from store.intune.plan import plan_pull
from store.model import Group, IntuneOrigin

NOW = datetime(2026, 6, 1, tzinfo=UTC)
G = "#microsoft.graph."


def test_group_kind_from_rule_then_members() -> None:
    assert group_kind({"membershipRule": '(device.deviceOSType -eq "iPad")'}, ()) == "device"
    assert group_kind({"membershipRule": '(user.department -eq "Sales")'}, ()) == "user"
    assert group_kind({"membershipRule": None}, [f"{G}device", f"{G}device"]) == "device"
    assert group_kind({}, [f"{G}device", f"{G}user"]) == "user"  # mixed: users are what exclusions act on
    assert group_kind({}, ()) == "user"


def test_targets_as_sets() -> None:
    targets = [{"@odata.type": f"{G}groupAssignmentTarget", "groupId": "g1"},
               {"@odata.type": "microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g2"},
               {"@odata.type": f"{G}allLicensedUsersAssignmentTarget"},
               {"@odata.type": f"{G}groupAssignmentTarget", "groupId": "unknown"},
               {"@odata.type": f"{G}configurationManagerCollectionAssignmentTarget", "collectionId": "c"}]
    assert sets_of(targets, {"g1": "Sales", "g2": "Execs"}) == ({"Sales", "All users"}, {"Execs"})


def _group(gid: str, name: str) -> Pulled:
    return group_from_graph({"id": gid, "displayName": name}, (), NOW)


def test_two_groups_with_one_name_and_a_builtin_name_stay_apart() -> None:
    groups = [_group("aaaaaaaa-1", "Sales"), _group("bbbbbbbb-2", "Sales"), _group("cccccccc-3", "All users")]
    plan = plan_pull(profiles=[], apps=[], groups=groups,
                     stored_profiles=[], stored_apps=[], stored_groups=[], assignments=[], now=NOW, actor="t")
    names = sorted(e.name for e in plan.added)
    assert names == ["All users (cccccccc)", "Sales", "Sales (bbbbbbbb)"]


def test_a_failed_payload_keeps_its_record_and_is_not_gone() -> None:
    stored = Group("Old", "user", intune=IntuneOrigin("g-old", NOW))
    failing = Pulled("profile", "cfg-1", "Broken", None, error=ProvdeskError("signature-mismatch", "changed"))
    plan = plan_pull(profiles=[failing], apps=[], groups=[], stored_profiles=[], stored_apps=[],
                     stored_groups=[stored], assignments=[], now=NOW, actor="t")
    assert [(e.id, e.code) for e in plan.failed] == [("cfg-1", "signature-mismatch")]
    assert [e.name for e in plan.gone] == ["Old"]
    assert plan.summary()["failed"][0] == {"kind": "profile", "id": "cfg-1", "name": "Broken",
                                           "code": "signature-mismatch", "message": "changed"}
