"""Replacing an app's .ipa with a new build: assignments and history kept, facts read anew."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from store.db import Store
from store.errors import ConflictError, StoreError
from store.model import ALL_USERS
from store.rules.replacement import resign_fixed
from tests.db.conftest import REAL_APPS
from tests.db.factory import ProfileFactory
from tests.rules.factory import app, cert, days

DEMO_IPA = REAL_APPS / "app_info__embedded.ipa"
OTHER_IPA = REAL_APPS / "app_info__iphone.ipa"
PROVDESK = Path(sys.executable).with_name("provdesk")


def _by_hand(store: Store, factory: ProfileFactory) -> None:
    """com.icyleaf.test.Demo added by hand from a test profile, assigned, marked for re-signing."""
    [outcome] = store.import_profiles([("p.mobileprovision", factory.profile(1, app_id="com.icyleaf.*"))])
    assert outcome.profile is not None
    store.add_app("com.icyleaf.test.Demo", "Field Demo", outcome.profile.uuid)
    store.assign("app", "com.icyleaf.test.Demo", [ALL_USERS], [])
    store.set_needs_resign("Field Demo", True)


def test_a_new_build_keeps_assignments_history_and_name(trusted: Store, factory: ProfileFactory) -> None:
    _by_hand(trusted, factory)
    old = trusted.resolve_app("Field Demo")
    new = trusted.replace_app_ipa("Field Demo", DEMO_IPA.name, DEMO_IPA.read_bytes())
    assert new.name == "Field Demo" and new.revision == old.revision + 1
    assert new.signing_certificate is not None and old.signing_certificate is not None
    assert new.signing_certificate.sha256 != old.signing_certificate.sha256
    assert new.embedded_profile is not None
    assert new.embedded_profile.uuid == "1f67e425-350e-434c-9077-9e0791347bbf"
    assert new.file_sha256 and trusted.blobs.exists(new.file_sha256)
    assert new.needs_resign  # the real build's certificate (2022) does not outlast the test one
    assert trusted.fleet().assignment_for("app", new.bundle_id).include == {ALL_USERS}
    actions = [e.action for e in trusted.audit(subject="com.icyleaf.test.Demo")]
    assert actions == ["app.replace", "app.update", "assignment.set", "app.add"]


def test_the_wrong_bundle_and_a_stale_revision_are_refused(trusted: Store, factory: ProfileFactory) -> None:
    _by_hand(trusted, factory)
    with pytest.raises(StoreError) as wrong:
        trusted.replace_app_ipa("Field Demo", OTHER_IPA.name, OTHER_IPA.read_bytes())
    assert wrong.value.code == "bundle-mismatch" and "com.icyleaf.AppInfoDemo" in wrong.value.message
    with pytest.raises(ConflictError):
        trusted.replace_app_ipa("Field Demo", DEMO_IPA.name, DEMO_IPA.read_bytes(), expected_revision=1)
    assert trusted.resolve_app("Field Demo").file_sha256 == ""


def _repacked(source: Path) -> bytes:
    """The same build in another archive (one more file at the zip's root): other bytes, same app."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item))
        new.writestr("iTunesMetadata.txt", "repacked for a test")
    return out.getvalue()


def test_the_old_archive_goes_once_replaced(store: Store) -> None:
    first = store.add_app_from_ipa(DEMO_IPA.name, DEMO_IPA.read_bytes())
    with pytest.raises(StoreError) as duplicate:
        store.add_app_from_ipa(DEMO_IPA.name, _repacked(DEMO_IPA))
    assert duplicate.value.code == "duplicate-app" and "app replace" in duplicate.value.message
    again = store.add_app_from_ipa(DEMO_IPA.name, _repacked(DEMO_IPA), replace_existing=True)
    assert again.revision == 2 and again.file_sha256 != first.file_sha256
    assert store.blobs.exists(again.file_sha256)
    assert not store.blobs.exists(first.file_sha256)


def test_the_resign_mark_clears_only_for_a_longer_lasting_certificate() -> None:
    old = app(signing=cert("old", days(10)))
    assert resign_fixed(old, app(signing=cert("new", days(900))))
    assert not resign_fixed(old, app(signing=cert("old", days(10))))
    assert not resign_fixed(old, app(signing=cert("shorter", days(5))))


def test_cli_app_replace_and_add_replace(trusted: Store, factory: ProfileFactory) -> None:
    _by_hand(trusted, factory)
    base = [str(PROVDESK), "--store", trusted.location]
    done = subprocess.run([*base, "app", "replace", "Field Demo", str(DEMO_IPA)],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("replaced Field Demo (com.icyleaf.test.Demo)")
    refused = subprocess.run([*base, "app", "add", str(DEMO_IPA)],
                             capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert refused.returncode == 2 and "provdesk: duplicate-app:" in refused.stderr
    forced = subprocess.run([*base, "app", "add", "--replace", str(DEMO_IPA)],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert forced.returncode == 0 and forced.stdout.startswith("replaced "), forced.stderr
