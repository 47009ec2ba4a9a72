"""Re-sign an ``.ipa``: check everything, sign innermost first, verify the result, then publish it.

This is the whole procedure of codesign.md §12.2 on one archive: refuse early (identity,
each profile, each bundle's entitlements), then per bundle, deepest first: sign its loose
Mach-O files, embed its profile, rebuild its seal, sign its executable. The archive is
written to a temporary file beside the output, verified by provdesk's own integrity
verification, and renamed into place only when that passes; the input is never touched.
"""

from __future__ import annotations

import plistlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from store.errors import ParseError
from store.formats.codesign import parse_macho
from store.formats.codesign.seal import SEAL_PATH
from store.formats.macho import read_code_signature
from store.formats.mobileprovision import EMBEDDED_PROFILE
from store.model import Integrity, Profile, TrustAnchor
from store.rules.appid import app_id_matches
from store.signing.archive import Entry, atomic_output, digest_of, read_entries, write_archive
from store.signing.bundles import SEAL_DIR, Bundle, find_bundles, loose_code, members
from store.signing.checks import entitlements_refusal, profile_refusal, read_profile
from store.signing.codesig import CodeSpec, SliceHashes, sign_code
from store.signing.entitlements import EntitlementsSource, signed_entitlements
from store.signing.identity import Identity, SigningError, identity_problem
from store.signing.seal import SealEntry, code_resources

# Verifies a written archive as iOS would (provdesk's integrity verification).
Verifier = Callable[[Path, Sequence[TrustAnchor], datetime], Integrity]


@dataclass(frozen=True)
class ResignRequest:
    """Everything one re-sign needs; ``profiles`` maps bundle IDs (``None``: the main app) to profiles."""

    source: Path
    output: Path
    identity: Identity
    profiles: Mapping[str | None, bytes]
    anchors: Sequence[TrustAnchor]
    now: datetime
    entitlements_from: EntitlementsSource = "profile"
    bundle_id: str | None = None


@dataclass(frozen=True)
class SignedCode:
    """One signed code item: its path in the archive, identifier and per-slice cdhashes."""

    path: str
    identifier: str
    slices: tuple[SliceHashes, ...]


@dataclass(frozen=True)
class ResignResult:
    """What was written: the output, the main app's facts, and every code item's cdhashes."""

    output: Path
    bundle_id: str
    profile: Profile
    entitlements: Mapping[str, Any]
    signed: tuple[SignedCode, ...]
    integrity: Integrity
    previous_cdhash: str | None = None

    @property
    def main(self) -> SignedCode:
        """The main executable (signed last)."""
        return self.signed[-1]

    @property
    def cdhash(self) -> str:
        """The main executable's cdhash (first slice, SHA-256 CodeDirectory), as codesign shows it."""
        return self.main.slices[0].sha256


@dataclass
class _Plan:
    """The checked inputs for each bundle that embeds a profile."""

    profiles: dict[str, tuple[Profile, bytes]] = field(default_factory=dict)
    entitlements: dict[str, dict[str, Any]] = field(default_factory=dict)


def _renamed(bundles: list[Bundle], new_id: str | None) -> dict[str, str]:
    """Each bundle's identifier after ``--bundle-id`` (nested ones keep their suffix under the new prefix)."""
    main = bundles[-1]
    old = main.bundle_id
    result = {}
    for bundle in bundles:
        ident = bundle.bundle_id
        if new_id and (ident == old or ident.startswith(old + ".")):
            ident = new_id + ident[len(old) :]
        result[bundle.path] = ident
    return result


def _profile_for(
    request: ResignRequest, bundle: Bundle, bundle_id: str, main_id: str
) -> tuple[Profile, bytes]:
    """The profile a bundle is signed with: its own ``ID=FILE``, else the main one when it covers the ID."""
    explicit = request.profiles.get(bundle_id) or request.profiles.get(bundle.bundle_id)
    data = explicit if explicit is not None else request.profiles.get(None)
    if data is None:
        raise SigningError("missing-profile", f"no profile given for {bundle_id}")
    profile = read_profile(data, request.anchors, f"the profile for {bundle_id}")
    if explicit is None and bundle_id != main_id and not app_id_matches(profile.app_id, bundle_id):
        raise SigningError(
            "missing-profile",
            f"{bundle.path} ({bundle_id}) needs its own profile: --profile {bundle_id}=FILE.mobileprovision",
        )
    return profile, data


def _plan(
    request: ResignRequest, entries: Mapping[str, Entry], bundles: list[Bundle], ids: dict[str, str]
) -> _Plan:
    """Every refusal, before anything is signed."""
    problem = identity_problem(request.identity, request.now)
    if problem is not None:
        raise problem
    plan = _Plan()
    main_id = ids[bundles[-1].path]
    for bundle in bundles:
        if not bundle.takes_profile:
            continue
        bundle_id = ids[bundle.path]
        profile, data = _profile_for(request, bundle, bundle_id, main_id)
        refusal = profile_refusal(profile, request.identity, bundle_id, request.now)
        if refusal is not None:
            raise refusal
        executable = entries[bundle.member(bundle.executable)].data or b""
        try:
            claimed = dict(read_code_signature(executable).entitlements)
        except ParseError:
            claimed = {}  # an unreadable signature claims nothing; signing replaces it
        refusal = entitlements_refusal(profile, bundle_id, claimed, request.entitlements_from)
        if refusal is not None:
            raise refusal
        wanted = signed_entitlements(profile.entitlements, bundle_id, claimed, request.entitlements_from)
        plan.entitlements[bundle.path] = wanted
        plan.profiles[bundle.path] = (profile, data)
    return plan


def _info_plist(bundle: Bundle, raw: bytes, new_id: str) -> bytes:
    """Info.plist with the new bundle identifier, in the format it had (binary or XML)."""
    if new_id == bundle.bundle_id:
        return raw
    info = dict(bundle.info)
    info["CFBundleIdentifier"] = new_id
    fmt = plistlib.FMT_BINARY if raw.startswith(b"bplist") else plistlib.FMT_XML
    return plistlib.dumps(info, fmt=fmt)


class _Signer:
    """The signing pass over one archive, innermost first."""

    def __init__(
        self,
        request: ResignRequest,
        entries: dict[str, Entry],
        bundles: list[Bundle],
        ids: dict[str, str],
        plan: _Plan,
    ) -> None:
        self.request, self.entries, self.bundles, self.ids, self.plan = request, entries, bundles, ids, plan
        self.changed: dict[str, bytes] = {}
        self.removed: set[str] = set()
        self.signed: list[SignedCode] = []

    def _sign(self, name: str, spec: CodeSpec) -> None:
        """Sign one Mach-O member with ``spec`` and record its cdhashes."""
        data = self.changed.get(name, self.entries[name].data or b"")
        self.changed[name] = sign_code(name, data, spec, self.request.identity, self.request.now)
        self.signed.append(SignedCode(name, spec.identifier, tuple(spec.signed)))

    def _seal(self, bundle: Bundle) -> bytes:
        """The bundle's new CodeResources over its files as they now are."""
        seal: dict[str, SealEntry] = {}
        for name in members(self.entries, self.changed, bundle):
            if name in self.removed:
                continue
            relative = name[len(bundle.path) + 1 :]
            if name in self.changed:
                seal[relative] = digest_of(self.changed[name])
            else:
                digest = self.entries[name].digest
                if digest is not None:
                    seal[relative] = digest
        return code_resources(seal, bundle.executable)

    def sign_bundle(self, bundle: Bundle) -> None:
        """Loose code, profile, seal, executable: in that order."""
        for name in loose_code(self.entries, bundle, self.bundles):
            identifier = name.rsplit("/", 1)[-1].split(".", 1)[0]
            self._sign(name, CodeSpec(identifier))
        info_name = bundle.member("Info.plist")
        info = _info_plist(bundle, self.entries[info_name].data or b"", self.ids[bundle.path])
        if info != self.entries[info_name].data:
            self.changed[info_name] = info
        if bundle.path in self.plan.profiles:
            self.changed[bundle.member(EMBEDDED_PROFILE)] = self.plan.profiles[bundle.path][1]
        stale = [n for n in self.entries if n.startswith(bundle.member(SEAL_DIR) + "/")]
        self.removed.update(
            n for n in stale if n != bundle.member(SEAL_PATH) and not self.entries[n].info.is_dir()
        )
        resources = self._seal(bundle)
        self.changed[bundle.member(SEAL_PATH)] = resources
        spec = CodeSpec(self.ids[bundle.path], info, resources, self.plan.entitlements.get(bundle.path))
        self._sign(bundle.member(bundle.executable), spec)


def _cdhash(data: bytes | None) -> str | None:
    """The cdhash of a binary's best CodeDirectory (first slice), or ``None`` when unsigned or unreadable."""
    try:
        superblob = parse_macho(data or b"").slices[0].superblob
        return (
            max(superblob.code_directories, key=lambda cd: cd.hash_type).cdhash.hex() if superblob else None
        )
    except ParseError:
        return None


def resign(request: ResignRequest, verify: Verifier) -> ResignResult:
    """Re-sign ``request.source`` into ``request.output``: refusals first, output only once verified."""
    entries = read_entries(request.source)
    bundles = find_bundles(entries)
    ids = _renamed(bundles, request.bundle_id)
    plan = _plan(request, entries, bundles, ids)
    signer = _Signer(request, entries, bundles, ids, plan)
    for bundle in bundles:
        signer.sign_bundle(bundle)
    main = bundles[-1]
    with atomic_output(request.output, request.source) as pending:
        write_archive(request.source, pending.stream, entries, signer.changed, frozenset(signer.removed))
        pending.stream.flush()
        integrity = verify(pending.path, request.anchors, request.now)
        if not integrity.ok:
            first = integrity.problems[0] if integrity.problems else None
            detail = f"{first.path}: {first.message}" if first else "no detail"
            raise SigningError(
                "verification-failed", f"the re-signed app does not verify ({detail}); nothing written"
            )
        pending.commit()
    return ResignResult(
        output=request.output,
        bundle_id=ids[main.path],
        profile=plan.profiles[main.path][0],
        entitlements=plan.entitlements[main.path],
        signed=tuple(signer.signed),
        integrity=integrity,
        previous_cdhash=_cdhash(entries[main.member(main.executable)].data),
    )


__all__ = ["ResignRequest", "ResignResult", "SignedCode", "Verifier", "resign"]
