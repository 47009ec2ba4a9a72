"""Apps (from an .ipa and by hand), groups, and assignments."""

from __future__ import annotations

import pytest

from store.db import Store
from store.errors import ProvdeskError, RefError, StoreError
from store.model import ALL_DEVICES, ALL_USERS
from tests.db.conftest import REAL_APPS, REAL_PROFILES
from tests.db.factory import ProfileFactory

DEMO_IPA = REAL_APPS / "app_info__embedded.ipa"


def _profile(store: Store, factory: ProfileFactory, **kw: object) -> str:
    [outcome] = store.import_profiles([("p.mobileprovision", factory.profile(**kw))])  # type: ignore[arg-type]
    assert outcome.profile is not None
    return outcome.profile.uuid


def test_app_by_hand_takes_certificate_and_entitlements_from_the_profile(
    trusted: Store, factory: ProfileFactory
) -> None:
    uuid = _profile(trusted, factory, app_id="com.example.*")
    app = trusted.add_app("com.example.field", "Field", uuid[:8])
    profile = trusted.resolve_profile(uuid)
    assert app.signing_certificate == profile.certificates[0]
    assert app.entitlements == profile.entitlements
    assert app.embedded_profile == profile
    assert trusted.resolve_app("Field").bundle_id == "com.example.field"
    assert trusted.audit(limit=1)[0].action == "app.add"


def test_several_certificates_need_a_choice_by_sha256(trusted: Store, factory: ProfileFactory) -> None:
    uuid = _profile(trusted, factory, two_certs=True)
    with pytest.raises(StoreError) as err:
        trusted.add_app("com.example.a", "A", uuid)
    assert err.value.code == "ambiguous-cert"
    certs = trusted.resolve_profile(uuid).certificates
    assert all(c.sha256 in err.value.message for c in certs)
    app = trusted.add_app("com.example.a", "A", uuid, cert_sha256=certs[1].sha256.lower())
    assert app.signing_certificate == certs[1]
    with pytest.raises(StoreError) as unknown:
        trusted.add_app("com.example.b", "B", uuid, cert_sha256="00ff")
    assert unknown.value.code == "unknown-cert"


def test_an_app_the_profile_does_not_cover_is_refused(trusted: Store, factory: ProfileFactory) -> None:
    uuid = _profile(trusted, factory, app_id="com.example.field")
    with pytest.raises(StoreError) as err:
        trusted.add_app("com.other.app", "Other", uuid)
    assert err.value.code == "app-id-mismatch"
    assert trusted.fleet().apps == ()


def test_app_from_a_real_ipa_keeps_the_archive(store: Store) -> None:
    app = store.add_app_from_ipa(DEMO_IPA.name, DEMO_IPA.read_bytes())
    assert app.bundle_id == "com.icyleaf.test.Demo"
    assert app.embedded_profile is not None
    assert app.embedded_profile.uuid == "1f67e425-350e-434c-9077-9e0791347bbf"
    assert store.blobs.get(app.file_sha256) == DEMO_IPA.read_bytes()
    with pytest.raises(StoreError) as again:
        store.add_app_from_ipa(DEMO_IPA.name, DEMO_IPA.read_bytes())
    assert again.value.code == "duplicate-app"


def test_a_broken_ipa_is_refused(store: Store) -> None:
    with pytest.raises(ProvdeskError):
        store.add_app_from_ipa("x.ipa", (REAL_PROFILES / "isign__test.mobileprovision").read_bytes())
    assert store.fleet().apps == ()


def test_builtin_groups_always_exist_and_stay(store: Store) -> None:
    groups = {g.name: g for g in store.fleet().groups}
    assert groups[ALL_USERS].kind == "user" and groups[ALL_DEVICES].kind == "device"
    assert groups[ALL_USERS].builtin
    with pytest.raises(StoreError) as err:
        store.delete_group(ALL_USERS, force=True)
    assert err.value.code == "builtin-group"
    with pytest.raises(StoreError) as dup:
        store.add_group("all users", "user")
    assert dup.value.code == "duplicate-group"
    with pytest.raises(StoreError) as kind:
        store.add_group("X", "robot")
    assert kind.value.code == "bad-kind"


def test_assignments_add_move_and_clear(trusted: Store, factory: ProfileFactory) -> None:
    uuid = _profile(trusted, factory)
    trusted.add_group("Sales", "user")
    trusted.add_group("Kiosks", "device")
    first = trusted.assign("profile", uuid, [ALL_USERS], ["Sales"])
    assert (first.include, first.exclude) == ({ALL_USERS}, {"Sales"})
    moved = trusted.assign("profile", uuid, ["sales"], [])  # names fold case; include moves it
    assert (moved.include, moved.exclude) == ({ALL_USERS, "Sales"}, frozenset())
    cleared = trusted.assign("profile", uuid, ["Kiosks"], [], clear=True)
    assert (cleared.include, cleared.exclude) == ({"Kiosks"}, frozenset())
    assert trusted.fleet().assignment_for("profile", uuid) == cleared
    events = trusted.audit(subject=uuid)
    assert [e.action for e in events][:3] == ["assignment.set"] * 3
    assert events[0].before == {"include": [ALL_USERS, "Sales"], "exclude": []}
    assert events[0].after == {"include": ["Kiosks"], "exclude": []}


def test_unknown_and_conflicting_groups_are_refused(trusted: Store, factory: ProfileFactory) -> None:
    uuid = _profile(trusted, factory)
    trusted.add_group("Sales", "user")
    with pytest.raises(RefError) as unknown:
        trusted.assign("profile", uuid, ["Nobody"], [])
    assert unknown.value.code == "unknown-ref" and "Sales" in unknown.value.message
    with pytest.raises(StoreError) as both:
        trusted.assign("profile", uuid, ["Sales"], ["Sales"])
    assert both.value.code == "conflicting-groups"
    assert trusted.fleet().assignments == ()


def test_a_group_in_use_is_deleted_only_when_forced(trusted: Store, factory: ProfileFactory) -> None:
    uuid = _profile(trusted, factory, app_id="com.example.*")
    trusted.add_app("com.example.field", "Field", uuid)
    trusted.add_group("Sales", "user")
    trusted.assign("profile", uuid, ["Sales", ALL_DEVICES], [])
    trusted.assign("app", "Field", [ALL_USERS], ["Sales"])
    with pytest.raises(StoreError) as err:
        trusted.delete_group("Sales")
    assert err.value.code == "group-in-use"
    assert "2 assignment" in err.value.message
    trusted.delete_group("Sales", force=True)
    fleet = trusted.fleet()
    assert fleet.assignment_for("profile", uuid).include == {ALL_DEVICES}
    assert fleet.assignment_for("app", "com.example.field").exclude == frozenset()
    assert "Sales" not in {g.name for g in fleet.groups}
    assert [e.action for e in trusted.audit(limit=3)] == ["group.delete", "assignment.set", "assignment.set"]


def test_deleting_an_app_removes_its_assignment(trusted: Store, factory: ProfileFactory) -> None:
    uuid = _profile(trusted, factory, app_id="com.example.*")
    trusted.add_app("com.example.field", "Field", uuid)
    trusted.assign("app", "com.example.field", [ALL_USERS], [])
    assert trusted.set_needs_resign("Field", True).needs_resign
    trusted.delete_app("Field")
    assert trusted.fleet().apps == () and trusted.fleet().assignments == ()
    with pytest.raises(RefError):
        trusted.resolve_app("Field")


def test_fast_decoding_equals_the_generic_codec(store: Store) -> None:
    """store.db.fast must give exactly what store.model.from_json gives."""
    from store.db.fast import decoder
    from store.model import (
        App,
        Assignment,
        Integrity,
        IntegrityProblem,
        IntuneOrigin,
        Profile,
        from_json,
        replace,
        to_json,
    )

    store.import_profiles([(p.name, p.read_bytes()) for p in sorted(REAL_PROFILES.iterdir())])
    app = store.add_app_from_ipa(DEMO_IPA.name, DEMO_IPA.read_bytes())
    decode_profile, decode_app = decoder(Profile), decoder(App)
    assert decode_profile is not None and decode_app is not None
    for profile in store.fleet().profiles:
        doc = to_json(profile)
        assert decode_profile(doc) == from_json(Profile, doc) == profile
        assert decode_profile({**doc, "written_by_a_newer_provdesk": 1}) == profile
    assert decode_app(to_json(app)) == from_json(App, to_json(app)) == app
    assert decode_app({**to_json(app), "written_by_a_newer_provdesk": 1}) == app
    decode_assignment = decoder(Assignment)
    assert decode_assignment is not None
    groups, vip = frozenset({"Sales", "All users"}), frozenset({"VIP"})
    for assignment in (Assignment("app", app.bundle_id, groups, vip, 4), Assignment("profile", "u")):
        doc = to_json(assignment)
        assert decode_assignment(doc) == from_json(Assignment, doc) == assignment
    pulled = replace(
        app, revision=3, intune=IntuneOrigin("f00d", app.added_at, gone=True, expires=app.added_at),
        integrity=Integrity(False, (IntegrityProblem("resource-added", "Payload/x", "added"),)),
    )
    assert decode_app(to_json(pulled)) == from_json(App, to_json(pulled)) == pulled
    # A document from an older provdesk lacks newer fields: the defaults fill them, each its own.
    old = {k: v for k, v in to_json(app).items() if k not in ("entitlements", "integrity", "revision")}
    first, second = decode_app(old), decode_app(dict(old))
    assert first == from_json(App, old) == replace(app, entitlements={}, integrity=None, revision=0)
    assert first.entitlements is not second.entitlements
    with pytest.raises(TypeError):  # a required field missing fails as the dataclass itself fails
        decode_assignment({"target_kind": "app"})
