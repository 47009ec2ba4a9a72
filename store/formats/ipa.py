"""Read an ``.ipa`` in place: the app, its embedded profile, nested bundles, and whether they fit.

iOS launches an in-house app only if the profile covers its signing certificate and bundle
ID; this reader gathers exactly those facts (from Info.plist, ``embedded.mobileprovision``
and the executable's own code signature) and states the checks, without extracting a byte
to disk (see ``zipsafe`` for the guards). ``App.integrity`` is the full code-signature and
seal verdict (``codesign.bundle``), whose pass over the archive also serves these reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.errors import ParseError
from store.formats.codesign.bundle import verify_app
from store.formats.macho import read_code_signature
from store.formats.mobileprovision import (
    EMBEDDED_PROFILE,
    MAX_PROFILE_BYTES,
    read_mobileprovision,
    trust_problem,
)
from store.formats.plist import load_plist
from store.formats.zipsafe import MAX_ENTRY_BYTES, SafeZip
from store.model import App, NestedBundle, Profile, TrustAnchor
from store.rules.appid import app_id_matches

_NESTED = {"PlugIns": ".appex", "Watch": ".app", "Frameworks": ".framework", "Extensions": ".appex"}
_PLIST_LIMIT = 8 * 1024 * 1024


@dataclass(frozen=True)
class IpaReport:
    """An app as read from its archive, and the launch checks that can be judged from it alone."""

    app: App
    checks: dict[str, bool] = field(default_factory=dict)
    bundle_path: str = ""


def _app_root(names: Sequence[str]) -> str:
    """``Payload/<name>.app`` at the archive's root; explains why when there is none."""
    roots = sorted({"/".join(n.split("/")[:2]) for n in names if n.startswith("Payload/")})
    apps = [r for r in roots if r.endswith(".app")]
    if apps:
        return apps[0]
    if any("/Payload/" in n and ".app/" in n for n in names):
        raise ParseError("payload-not-at-root", "Payload/ is not at the archive's root (a zipped folder?)")
    raise ParseError("no-app-bundle", "the archive holds no Payload/<name>.app bundle")


class _Entries:
    """The archive's entries, served from what the integrity check already inflated."""

    def __init__(self, archive: SafeZip, kept: Mapping[str, bytes]) -> None:
        self.archive, self.kept = archive, kept

    def __contains__(self, name: object) -> bool:
        return name in self.archive

    @property
    def names(self) -> tuple[str, ...]:
        """Every entry name."""
        return self.archive.names

    def read(self, name: str, limit: int) -> bytes:
        """An entry's bytes, inflated again only if the check did not keep them."""
        kept = self.kept.get(name)
        return kept if kept is not None and len(kept) <= limit else self.archive.read(name, limit)


def _plist(archive: _Entries, name: str) -> dict[str, Any]:
    """A plist entry, with its path in any error message."""
    try:
        return load_plist(archive.read(name, _PLIST_LIMIT))
    except ParseError as error:
        raise ParseError(error.code, f"{name}: {error.message}") from None


def _profile(archive: _Entries, name: str, anchors: Sequence[TrustAnchor]) -> Profile | None:
    """An embedded profile if the bundle has one; its errors name where it was."""
    if name not in archive:
        return None
    try:
        return read_mobileprovision(archive.read(name, MAX_PROFILE_BYTES), anchors)
    except ParseError as error:
        raise ParseError(error.code, f"{name}: {error.message}") from None


def _text(info: dict[str, Any], *keys: str) -> str:
    """The first of ``keys`` that holds a string."""
    for key in keys:
        value = info.get(key)
        if isinstance(value, str):
            return value
    return ""


def _nested(archive: _Entries, root: str, anchors: Sequence[TrustAnchor]) -> tuple[NestedBundle, ...]:
    """Extensions, watch apps and frameworks one level inside the app, with their own profiles."""
    found: set[str] = set()
    for name in archive.names:
        if name.startswith(root + "/"):
            parts = name[len(root) + 1 :].split("/")
            if len(parts) >= 2 and parts[0] in _NESTED and parts[1].endswith(_NESTED[parts[0]]):
                found.add(f"{parts[0]}/{parts[1]}")
    bundles = []
    for path in sorted(found):
        base = f"{root}/{path}"
        bundle_id = None
        if f"{base}/Info.plist" in archive:
            bundle_id = _text(_plist(archive, f"{base}/Info.plist"), "CFBundleIdentifier") or None
        profile = _profile(archive, f"{base}/{EMBEDDED_PROFILE}", anchors)
        bundles.append(NestedBundle(path, bundle_id, profile))
    return tuple(bundles)


def _checks(app: App) -> dict[str, bool]:
    """What iOS would check at launch that the archive alone can answer."""
    profile, cert = app.embedded_profile, app.signing_certificate
    allowed = {c.sha256 for c in profile.certificates} if profile is not None else set()
    covered = cert is not None and cert.sha256 in allowed
    return {
        "certificate_in_profile": covered,
        "bundle_id_matches": profile is not None and app_id_matches(profile.app_id, app.bundle_id),
        "profile_signature_valid": profile is not None and profile.signature == "valid",
        "profile_trusted": profile is not None and trust_problem(profile) is None,
        "entitlements_in_profile": profile is not None and set(app.entitlements) <= set(profile.entitlements),
    }


def _read(opened: SafeZip, anchors: Sequence[TrustAnchor], file_sha256: str) -> IpaReport:
    """The reading proper, on an archive already opened and screened."""
    root = _app_root(opened.names)
    verified = verify_app(opened, root, anchors)
    archive = _Entries(opened, verified.kept)
    if f"{root}/Info.plist" not in archive:
        raise ParseError("missing-info-plist", f"{root} has no Info.plist")
    info = _plist(archive, f"{root}/Info.plist")
    bundle_id = _text(info, "CFBundleIdentifier")
    if not bundle_id:
        raise ParseError("missing-field", f"{root}/Info.plist has no CFBundleIdentifier")
    executable = _text(info, "CFBundleExecutable")
    if not executable or f"{root}/{executable}" not in archive:
        raise ParseError("unreadable-executable", f"{root} has no executable {executable!r}")
    signature = read_code_signature(archive.read(f"{root}/{executable}", MAX_ENTRY_BYTES))
    app = App(
        bundle_id=bundle_id,
        name=_text(info, "CFBundleDisplayName", "CFBundleName") or executable,
        version=_text(info, "CFBundleShortVersionString"),
        build=_text(info, "CFBundleVersion"),
        min_os=_text(info, "MinimumOSVersion", "LSMinimumSystemVersion"),
        signing_certificate=signature.certificate,
        entitlements=signature.entitlements,
        embedded_profile=_profile(archive, f"{root}/{EMBEDDED_PROFILE}", anchors),
        nested=_nested(archive, root, anchors),
        file_sha256=file_sha256,
        integrity=verified.integrity,
    )
    return IpaReport(app=app, checks=_checks(app), bundle_path=root)


def _sha256(source: bytes | Path) -> str:
    """The archive's SHA-256, streamed for a file so a large .ipa is not held twice."""
    if isinstance(source, Path):
        digest = hashlib.sha256()
        with source.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()
    return hashlib.sha256(source).hexdigest()


def read_ipa(source: bytes | Path, anchors: Sequence[TrustAnchor] = ()) -> IpaReport:
    """Read an ``.ipa`` (bytes, or a path read in place) into an ``IpaReport``; raises only ``ParseError``."""
    if isinstance(source, bytes | bytearray) and not source:
        raise ParseError("empty", "the file is empty")
    try:
        file_sha256 = _sha256(source if isinstance(source, Path) else bytes(source))
    except OSError as exc:
        raise ParseError("unreadable-file", f"the file cannot be read: {exc.strerror or exc}") from None
    with SafeZip(source if isinstance(source, Path) else bytes(source)) as archive:
        return _read(archive, anchors, file_sha256)
