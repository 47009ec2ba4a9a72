"""The demo world keeps its promises: the expiry spread, real signatures, a consistent story."""

from __future__ import annotations

import plistlib
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import cms

from store.demo.dataset import DemoWorld, build_demo, cert_sha256
from store.model import ALL_USERS, BUILTIN_GROUPS
from store.rules.appid import app_id_matches

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    """One demo world at a fixed moment, shared by the tests of this module."""
    return build_demo(NOW)


def left(world: DemoWorld) -> list[timedelta]:
    """Time left on every profile."""
    return [p.expires - world.now for p in world.profiles]


def test_expiry_spread(world: DemoWorld) -> None:
    """Expired, within the hour, within a week, within a month and well beyond: all present."""
    remaining = left(world)
    assert 25 <= len(remaining) <= 35
    assert sum(r <= timedelta(0) for r in remaining) >= 3
    assert sum(timedelta(0) < r <= timedelta(hours=1) for r in remaining) >= 2
    assert sum(timedelta(hours=1) < r <= timedelta(days=7) for r in remaining) >= 3
    assert sum(timedelta(days=7) < r <= timedelta(days=30) for r in remaining) >= 3
    assert sum(r > timedelta(days=90) for r in remaining) >= 5


def test_follows_now() -> None:
    """Expiries move with ``now``, so the demo never goes stale."""
    later = NOW + timedelta(days=400)
    assert [p.expires - later for p in build_demo(later).profiles] == left(build_demo(NOW))


def test_every_profile_verifies_with_openssl(tmp_path: Path, world: DemoWorld) -> None:
    """OpenSSL accepts every signature and chain up to the demo root, and returns the plist."""
    (tmp_path / "root.pem").write_bytes(world.root_pem)
    for profile in world.profiles:
        path = tmp_path / profile.file_name
        path.write_bytes(profile.data)
        result = subprocess.run(
            ["openssl", "cms", "-verify", "-inform", "DER", "-in", str(path), "-binary",
             "-CAfile", str(tmp_path / "root.pem"), "-purpose", "any", "-no_check_time"],
            capture_output=True, check=False,
        )
        assert result.returncode == 0, (profile.file_name, result.stderr)
        assert plistlib.loads(result.stdout)["UUID"] == profile.uuid


def test_profiles_are_enterprise_and_consistent(world: DemoWorld) -> None:
    """Every profile provisions all devices, its dates fit its certificates, its signer was valid."""
    digests = set()
    for profile in world.profiles:
        signed = cms.ContentInfo.load(profile.data)["content"]
        document = plistlib.loads(signed["encap_content_info"]["content"].native)
        assert document["ProvisionsAllDevices"] is True
        assert document["Entitlements"]["application-identifier"] == profile.app_id
        assert document["TeamIdentifier"] == [profile.team_id]
        assert document["ExpirationDate"].replace(tzinfo=UTC) == profile.expires
        assert profile.expires <= max(c.not_valid_after_utc for c in profile.certificates)
        assert all(c.not_valid_before_utc <= profile.created for c in profile.certificates)
        signer = world.signer.cert
        assert signer.not_valid_before_utc <= profile.created <= signer.not_valid_after_utc
        digests.add(signed["signer_infos"][0]["digest_algorithm"]["algorithm"].native)
    assert digests == {"sha1", "sha256"}
    assert len({p.uuid for p in world.profiles}) == len(world.profiles)
    app_ids = [p.app_id for p in world.profiles]
    assert any(a.endswith("*") for a in app_ids) and any(not a.endswith("*") for a in app_ids)


def test_a_distribution_certificate_expires_within_weeks(world: DemoWorld) -> None:
    """One company's certificate runs out soon; all of them last three years."""
    soon = [
        c for c in world.companies
        if timedelta(days=7) < c.current.cert.not_valid_after_utc - world.now <= timedelta(days=42)
    ]
    assert len(soon) == 1
    for company in world.companies:
        for issued in (company.current, company.renewed):
            if issued is not None:
                life = issued.cert.not_valid_after_utc - issued.cert.not_valid_before_utc
                assert life == timedelta(days=3 * 365)
                assert issued.cert.subject.rfc4514_string().startswith("C=US,O=")


def test_apps_match_their_profiles(world: DemoWorld) -> None:
    """A dozen apps, each covered by its profile's app ID and signed by one of its certificates."""
    assert len(world.apps) == 12
    profiles = {p.uuid: p for p in world.profiles}
    for app in world.apps:
        profile = profiles[app.profile_uuid]
        assert app_id_matches(profile.app_id, app.bundle_id, profile.team_id)
        assert app.cert_sha256 in {cert_sha256(c) for c in profile.certificates}


def test_assignments_name_real_targets_and_tell_the_story(world: DemoWorld) -> None:
    """Every group and target exists; the All-users-but-Executives, Sales-only and mistake cases are there."""
    kinds = dict(BUILTIN_GROUPS) | {g.name: g.kind for g in world.groups}
    targets = {("profile", p.uuid) for p in world.profiles} | {("app", a.bundle_id) for a in world.apps}
    for assignment in world.assignments:
        assert (assignment.target_kind, assignment.target) in targets
        assert set(assignment.include) | set(assignment.exclude) <= set(kinds)
    shapes = [(set(a.include), set(a.exclude)) for a in world.assignments if a.target_kind == "profile"]
    assert ({ALL_USERS}, {"Executives"}) in shapes
    assert ({"Sales"}, set()) in shapes
    assert any(ALL_USERS in inc and any(kinds[g] == "device" for g in exc) for inc, exc in shapes)
    assert {g.kind for g in world.groups} == {"user", "device"}


def test_reproducible_mode_repeats_byte_for_byte() -> None:
    """With ``reproducible=True`` two builds at the same moment give identical files and PKI."""
    first, second = build_demo(NOW, reproducible=True), build_demo(NOW, reproducible=True)
    assert [p.data for p in first.profiles] == [p.data for p in second.profiles]
    assert first.root_pem == second.root_pem
