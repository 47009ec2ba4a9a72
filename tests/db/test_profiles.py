"""Import and profile rules on real fixture files and signed test profiles."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.db import Store
from store.db.blobs import sha256_hex
from store.errors import RefError, StoreError
from tests.db.conftest import REAL_PROFILES, expected, importable
from tests.db.factory import ProfileFactory

REAL = sorted(REAL_PROFILES.iterdir())
GOOD = [p for p in REAL if importable(p.name)]
BAD = [p for p in REAL if not importable(p.name)]


def test_the_oracle_splits_the_fixtures() -> None:
    """Sanity: both kinds exist, so the two tests below test something."""
    assert len(GOOD) >= 10
    assert len(BAD) >= 8


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_every_valid_apple_signed_real_profile_imports(store: Store, path: Path) -> None:
    [outcome] = store.import_profiles([(path.name, path.read_bytes())])
    assert outcome.status == "imported", outcome.error
    assert outcome.profile is not None
    assert outcome.profile.uuid == expected()[path.name]["UUID"]
    assert outcome.profile.display_name == expected()[path.name]["Name"]  # defaults to the file's Name
    assert store.profile_bytes(outcome.profile.uuid) == path.read_bytes()


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_invalid_unsigned_untrusted_or_malformed_profiles_are_refused(store: Store, path: Path) -> None:
    generation = store.storage.generation
    [outcome] = store.import_profiles([(path.name, path.read_bytes())])
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error.code in {"unsigned", "signature-mismatch", "untrusted", "incomplete-chain", "empty",
                                  "malformed-plist", "not-a-profile", "malformed-cms", "missing-field"}
    assert store.storage.generation == generation
    assert store.fleet().profiles == ()
    assert not store.blobs.exists(sha256_hex(path.read_bytes()))


def test_a_batch_imports_the_good_and_reports_each_bad_in_one_write(store: Store) -> None:
    items = [(p.name, p.read_bytes()) for p in REAL]
    generation = store.storage.generation
    outcomes = store.import_profiles(items)
    assert store.storage.generation == generation + 1
    assert {o.file_name for o in outcomes if o.status == "imported"} == {p.name for p in GOOD}
    assert {o.file_name for o in outcomes if o.status == "failed"} == {p.name for p in BAD}
    assert all(o.error is not None for o in outcomes if o.status == "failed")
    assert len(store.fleet().profiles) == len(GOOD)
    assert [e.action for e in store.audit()].count("profile.import") == len(GOOD)


def test_the_same_file_again_is_a_no_op(store: Store) -> None:
    path = GOOD[0]
    store.import_profiles([(path.name, path.read_bytes())])
    generation = store.storage.generation
    [again] = store.import_profiles([("copy.mobileprovision", path.read_bytes())])
    assert again.status == "unchanged"
    assert again.notes == ["already in the store"]
    assert store.storage.generation == generation


def test_another_file_with_a_stored_uuid_is_refused_with_both_names(store: Store) -> None:
    """fastlane's test profile and its tampered copy share a UUID; the copy is not Apple-valid, so
    use two signed test profiles with one UUID instead."""
    factory = ProfileFactory("dup")
    store.add_anchor(factory.root_pem, "dup root")
    first = factory.profile(1, uuid="11111111-2222-3333-4444-555555555555")
    second = factory.profile(2, uuid="11111111-2222-3333-4444-555555555555")
    store.import_profiles([("first.mobileprovision", first)])
    [outcome] = store.import_profiles([("second.mobileprovision", second)])
    assert outcome.status == "failed"
    assert outcome.error is not None and outcome.error.code == "duplicate-uuid"
    assert "first.mobileprovision" in outcome.error.message
    assert "second.mobileprovision" in outcome.error.message
    assert store.profile_bytes("11111111") == first


def test_untrusted_until_its_root_is_an_anchor(store: Store, factory: ProfileFactory) -> None:
    data = factory.profile(7)
    [refused] = store.import_profiles([("t.mobileprovision", data)])
    assert refused.error is not None and refused.error.code in {"untrusted", "incomplete-chain"}
    store.add_anchor(factory.root_pem, "test root")
    [accepted] = store.import_profiles([("t.mobileprovision", data)])
    assert accepted.status == "imported"
    assert accepted.profile is not None and accepted.profile.trust == "anchor"


def test_non_enterprise_profiles_import_with_a_note(store: Store) -> None:
    path = REAL_PROFILES / "app_info__ios_adhoc.mobileprovision"
    [outcome] = store.import_profiles([(path.name, path.read_bytes())])
    assert outcome.status == "imported"
    assert any("in-house" in note for note in outcome.notes)
    enterprise = REAL_PROFILES / "app_info__embedded.ipa__Demo.app_embedded.mobileprovision"
    [ok] = store.import_profiles([(enterprise.name, enterprise.read_bytes())])
    assert not any("in-house" in note for note in ok.notes)


def test_original_bytes_live_beside_the_json_not_in_it(trusted: Store, factory: ProfileFactory) -> None:
    data = factory.profile(3)
    [outcome] = trusted.import_profiles([("x.mobileprovision", data)], display_name="Field", description="d")
    assert outcome.profile is not None
    digest = outcome.profile.file_sha256
    assert trusted.blobs.get(digest) == data
    assert digest in json.dumps(trusted.storage.tables)
    assert base64.b64encode(data[:48]).decode() not in json.dumps(trusted.storage.tables)
    profile = trusted.resolve_profile("Field")
    assert (profile.display_name, profile.description, profile.imported_by) == ("Field", "d", trusted.actor)


def test_preview_reads_and_checks_but_writes_nothing(trusted: Store, factory: ProfileFactory) -> None:
    generation = trusted.storage.generation
    outcome = trusted.preview_profile("p.mobileprovision", factory.profile(4))
    assert outcome.status == "imported" and outcome.profile is not None
    assert trusted.storage.generation == generation
    assert trusted.fleet().profiles == ()


def test_refs_by_uuid_prefix_and_name(trusted: Store, factory: ProfileFactory) -> None:
    trusted.import_profiles([
        ("a", factory.profile(1, uuid="aaaa1111-0000-0000-0000-000000000000", name="Alpha")),
        ("b", factory.profile(2, uuid="aaaa2222-0000-0000-0000-000000000000", name="Beta")),
    ])
    assert trusted.resolve_profile("AAAA1111-0000-0000-0000-000000000000").name == "Alpha"
    assert trusted.resolve_profile("aaaa2").name == "Beta"
    assert trusted.resolve_profile("Beta").uuid.startswith("aaaa2222")
    with pytest.raises(RefError) as ambiguous:
        trusted.resolve_profile("aaaa")
    assert ambiguous.value.code == "ambiguous-ref"
    assert "Alpha" in ambiguous.value.message and "Beta" in ambiguous.value.message
    with pytest.raises(RefError) as unknown:
        trusted.resolve_profile("Gamma")
    assert unknown.value.code == "unknown-ref"
    assert "Alpha" in unknown.value.message


def test_update_delete_and_prune_are_audited(trusted: Store, factory: ProfileFactory) -> None:
    trusted.import_profiles([
        ("old", factory.profile(1, name="Old", days=10)),
        ("new", factory.profile(2, name="New", days=400)),
    ])
    trusted.update_profile("New", display_name="Renamed", description="why")
    assert trusted.resolve_profile("Renamed").description == "why"
    trusted.add_group("Sales", "user")
    trusted.assign("profile", "Old", ["Sales"], [])
    gone = trusted.prune_expired(datetime(2026, 3, 1, tzinfo=UTC))
    assert [p.name for p in gone] == ["Old"]
    assert trusted.fleet().assignments == ()
    deleted = trusted.delete_profile("Renamed")
    assert trusted.fleet().profiles == ()
    assert not trusted.blobs.exists(deleted.file_sha256)
    actions = [e.action for e in trusted.audit()]
    assert actions[:3] == ["profile.delete", "profile.prune", "assignment.set"]
    assert "profile.update" in actions
    prune = trusted.audit(limit=2)[1]
    assert prune.before["assignment"] == {"include": ["Sales"], "exclude": []}
    with pytest.raises(StoreError):
        trusted.delete_profile("Renamed")


def test_profile_documents_round_trip(trusted: Store, factory: ProfileFactory) -> None:
    """What is stored decodes to what was imported (dates, certificates, entitlements)."""
    [outcome] = trusted.import_profiles([("r", factory.profile(5, two_certs=True))])
    assert outcome.profile is not None
    reopened = Store.open(trusted.location, trusted.clock)
    assert reopened.fleet().profiles == (outcome.profile,)
    raw = json.dumps(trusted.storage.tables)
    assert outcome.profile.uuid in raw
