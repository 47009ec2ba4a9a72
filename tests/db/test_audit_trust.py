"""Who changed what (actor, client), the audit trail's order and filters, trust anchors and settings."""

from __future__ import annotations

import pytest

from store.actor import current_actor
from store.db import Store
from store.errors import ProvdeskError, StoreError
from store.formats.trust import APPLE_ROOT_SHA256
from store.model import Thresholds
from tests.db.factory import ProfileFactory


def test_actor_is_the_sudo_user_and_the_ssh_client() -> None:
    env = {"SUDO_USER": "alice", "LOGNAME": "root", "SSH_CONNECTION": "10.1.2.3 51000 10.0.0.1 22"}
    assert current_actor(env) == ("alice", "10.1.2.3")
    assert current_actor({"LOGNAME": "bob"}) == ("bob", "local")
    actor, client = current_actor()
    assert actor and client


def test_every_change_is_audited_newest_first(trusted: Store, factory: ProfileFactory) -> None:
    trusted.add_group("Sales", "user")
    trusted.import_profiles([("p", factory.profile(1, name="P"))])
    trusted.assign("profile", "P", ["Sales"], [])
    trusted.set_thresholds(5, 20)
    events = trusted.audit()
    assert [e.action for e in events] == [
        "settings.set", "assignment.set", "profile.import", "group.add", "trust.add",
    ]
    assert all(e.actor == trusted.actor and e.client == trusted.client for e in events)
    assert events[0].at == trusted.clock()
    assert events[0].before == {"critical_days": 7, "warning_days": 30}
    assert len(trusted.audit(limit=2)) == 2
    assert [e.action for e in trusted.audit(subject="Sales")] == ["group.add"]
    uuid = trusted.resolve_profile("P").uuid
    assert [e.action for e in trusted.audit(subject="P")] == ["assignment.set", "profile.import"]
    assert trusted.audit(subject=f"profile:{uuid}") == trusted.audit(subject="P")


def test_the_audit_trail_spans_chunks(store: Store) -> None:
    """Past AUDIT_CHUNK events a new chunk starts; order and filters hold across chunks."""
    from store.db import schema

    for i in range(schema.AUDIT_CHUNK + 5):
        with store.transaction() as tx:
            tx.audit("test.event", f"test:{i}")
    chunks = schema.audit_tables(store.storage.tables)
    assert len(chunks) == 2
    events = store.audit()
    assert events[0].subject == f"test:{schema.AUDIT_CHUNK + 4}"
    assert events[-1].subject == "test:0"
    assert [e.subject for e in store.audit(subject="test:3")] == ["test:3"]


def test_trust_anchors_add_list_remove(store: Store, factory: ProfileFactory) -> None:
    anchors = store.fleet().anchors
    assert anchors[0].builtin and anchors[0].sha256 == APPLE_ROOT_SHA256
    added = store.add_anchor(factory.root_pem, "Test root")
    assert [a.label for a in store.fleet().anchors] == [anchors[0].label, "Test root"]
    with pytest.raises(StoreError) as dup:
        store.add_anchor(factory.root_pem, "again")
    assert dup.value.code == "duplicate-anchor"
    with pytest.raises(StoreError) as builtin:
        store.remove_anchor(APPLE_ROOT_SHA256[:12])
    assert builtin.value.code == "builtin-anchor"
    assert store.remove_anchor("Test root") == added
    assert len(store.fleet().anchors) == 1
    with pytest.raises(ProvdeskError):
        store.add_anchor(b"not a certificate", "junk")


def test_thresholds_are_settings(store: Store) -> None:
    assert store.fleet().thresholds == Thresholds()
    store.set_thresholds(3, 14)
    assert Store.open(store.location, store.clock).fleet().thresholds == Thresholds(3, 14)
    with pytest.raises(StoreError):
        store.set_thresholds(10, 5)
