"""Record revisions: every write of a record moves its revision; a stale form's save is refused.

The lost-update bug (issue 10, bug 1): a console form saved over a change another process
made while the form was open. These tests failed before revisions existed (``assign`` had no
``expected_revision`` and silently replaced the other process's Sales).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from store.clock import fixed_clock
from store.db import Store
from store.errors import ConflictError
from store.model import ALL_USERS, iso
from tests.db.conftest import NOW
from tests.db.factory import ProfileFactory

ROOT = Path(__file__).resolve().parents[2]
PROVDESK = Path(sys.executable).with_name("provdesk")


def _profile(store: Store, factory: ProfileFactory) -> str:
    [outcome] = store.import_profiles([("p.mobileprovision", factory.profile(1, app_id="com.example.*"))])
    assert outcome.profile is not None and outcome.profile.revision == 1
    return outcome.profile.uuid


def test_every_write_moves_the_revision(trusted: Store, factory: ProfileFactory) -> None:
    uuid = _profile(trusted, factory)
    assert trusted.resolve_profile(uuid).revision == 1
    assert trusted.update_profile(uuid, display_name="Renamed").revision == 2
    assert trusted.resolve_profile(uuid).revision == 2
    assert trusted.add_group("Sales", "user").revision == 1
    assert trusted.update_group("Sales", description="field sales").revision == 2
    assert trusted.assign("profile", uuid, ["Sales"], []).revision == 1
    assert trusted.assign("profile", uuid, [ALL_USERS], []).revision == 2
    assert trusted.assignment_of("profile", uuid).revision == 2
    app = trusted.add_app("com.example.field", "Field", uuid)
    assert app.revision == 1 and trusted.set_needs_resign("Field", True).revision == 2


def test_a_stale_assign_is_refused_with_who_and_when(
    trusted: Store, factory: ProfileFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    uuid = _profile(trusted, factory)
    trusted.add_group("Sales", "user")
    trusted.add_group("Engineering", "user")
    opened = trusted.assignment_of("profile", uuid)
    monkeypatch.setenv("SUDO_USER", "bob")
    other = Store.open(trusted.location, fixed_clock(NOW))  # a second process's view of the same store
    other.assign("profile", uuid, ["Sales"], [])
    with pytest.raises(ConflictError) as conflict:
        trusted.assign("profile", uuid, ["Engineering"], [], clear=True, expected_revision=opened.revision)
    error = conflict.value
    assert error.code == "changed-underneath"
    assert "changed by bob" in error.message and iso(NOW) in error.message
    assert error.current.include == {"Sales"} and error.changed_by == "bob"
    assert trusted.fleet().assignment_for("profile", uuid).include == {"Sales"}
    merged = trusted.assign("profile", uuid, ["Engineering"], [], expected_revision=error.current.revision)
    assert merged.include == {"Sales", "Engineering"}


def test_an_emptied_assignment_keeps_counting(trusted: Store, factory: ProfileFactory) -> None:
    """Emptied and refilled, an assignment never meets a revision a stale form read (no ABA)."""
    uuid = _profile(trusted, factory)
    trusted.add_group("Sales", "user")
    first = trusted.assign("profile", uuid, ["Sales"], [])
    trusted.assign("profile", uuid, [], [], clear=True)
    trusted.assign("profile", uuid, ["Sales", ALL_USERS], [])
    with pytest.raises(ConflictError):
        trusted.assign("profile", uuid, [], [], clear=True, expected_revision=first.revision)


def test_stale_profile_and_group_edits_are_refused(trusted: Store, factory: ProfileFactory) -> None:
    uuid = _profile(trusted, factory)
    trusted.add_group("Sales", "user")
    trusted.update_profile(uuid, description="theirs")
    with pytest.raises(ConflictError) as profile:
        trusted.update_profile(uuid, description="mine", expected_revision=1)
    assert profile.value.current.description == "theirs"
    trusted.update_group("Sales", description="theirs")
    with pytest.raises(ConflictError):
        trusted.update_group("Sales", description="mine", expected_revision=1)
    assert trusted.resolve_group("Sales").description == "theirs"


def test_a_group_rename_moves_it_in_every_assignment(trusted: Store, factory: ProfileFactory) -> None:
    uuid = _profile(trusted, factory)
    trusted.add_group("Sales", "user")
    trusted.assign("profile", uuid, [ALL_USERS], ["Sales"])
    renamed = trusted.update_group("Sales", new_name="Field Sales", kind="device", description="x")
    assert (renamed.name, renamed.kind, renamed.revision) == ("Field Sales", "device", 2)
    assert trusted.fleet().assignment_for("profile", uuid).exclude == {"Field Sales"}
    assert "Sales" not in {g.name for g in trusted.fleet().groups}
    assert [e.action for e in trusted.audit(limit=2)] == ["group.update", "assignment.set"]


def test_two_cli_processes_racing_lose_nothing(trusted: Store, factory: ProfileFactory) -> None:
    """``provdesk assign --include`` is a read-modify-write inside one locked transaction."""
    uuid = _profile(trusted, factory)
    names = [f"Team {i}" for i in range(4)]
    for name in names:
        trusted.add_group(name, "user")
    procs = [
        subprocess.Popen([str(PROVDESK), "--store", trusted.location, "assign", uuid, "--include", name],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in names
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    assignment = trusted.fleet().assignment_for("profile", uuid)
    assert assignment.include == set(names) and assignment.revision == len(names)


def test_the_audit_trail_finds_deleted_subjects_by_name_or_uuid_prefix(
    trusted: Store, factory: ProfileFactory
) -> None:
    """Issue 10: ``log --subject`` takes a name or a UUID prefix, deleted subjects included."""
    from store.errors import RefError

    uuid = _profile(trusted, factory)
    trusted.update_profile(uuid, display_name="Acme 2027")
    trusted.delete_profile(uuid)
    by_name = trusted.audit(subject="Acme 2027")
    assert [e.action for e in by_name] == ["profile.delete", "profile.update", "profile.import"]
    assert [e.action for e in trusted.audit(subject=uuid[:8])] == [e.action for e in by_name]
    with pytest.raises(RefError) as unknown:
        trusted.audit(subject="Nobody")
    assert unknown.value.code == "unknown-ref"
