"""The data every layer speaks: plain frozen dataclasses with a stable JSON shape.

Readers produce them, the db stores them, the rules read them and the screens
render them. Keeping one shape (and one codec, ``to_json``/``from_json``) means
the `--json` output, the store file and the tests all agree on key names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any, Literal

ProfileType = Literal["enterprise", "development", "ad-hoc", "app-store"]
Signature = Literal["valid", "invalid", "absent"]
Trust = Literal["apple", "anchor", "untrusted", "incomplete", "none"]
CertKind = Literal["distribution", "development", "unknown"]
GroupKind = Literal["user", "device"]
TargetKind = Literal["profile", "app"]

ALL_USERS = "All users"
ALL_DEVICES = "All devices"
BUILTIN_GROUPS: dict[str, GroupKind] = {ALL_USERS: "user", ALL_DEVICES: "device"}


def iso(moment: datetime | None) -> str | None:
    """UTC ISO-8601 with a trailing ``Z``: the one date format of every output."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str | None) -> datetime | None:
    """Read back what :func:`iso` wrote (or any ISO-8601), always timezone-aware UTC."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Certificate:
    """A developer (signing) certificate as a profile or a code signature carries it."""

    common_name: str
    team_id: str | None
    serial: str
    sha1: str
    sha256: str
    not_before: datetime
    not_after: datetime
    kind: CertKind


@dataclass(frozen=True)
class IntuneOrigin:
    """Where a pulled record lives in an Intune tenant; records typed into provdesk have none.

    ``gone`` marks a record deleted in Intune since: it is kept, and shown so, never
    silently deleted. ``expires`` is Intune's own expiry where it has one (apps pulled
    without an ``.ipa``; a profile's ``expirationDateTime``, shown beside the payload's).
    ``include``/``exclude`` are Intune's assignment as last seen (by provdesk group name)
    and ``targets`` its raw targets as JSON text, so a push keeps what provdesk cannot
    express (assignment filters, other target types) and a local edit shows as "out of
    step with Intune" until the next push or pull.
    """

    intune_id: str
    pulled_at: datetime | None = None
    gone: bool = False
    expires: datetime | None = None
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class IntegrityProblem:
    """One thing iOS would refuse in an app's code signature or resource seal."""

    code: str
    path: str
    message: str


@dataclass(frozen=True)
class CodeDirectoryHash:
    """One CodeDirectory of one slice: its cdhash (hex, 20 bytes) as ``codesign -d`` shows it."""

    arch: str
    hash_type: str
    cdhash: str
    version: int = 0


@dataclass(frozen=True)
class BundleIntegrity:
    """One code item of an app (the app, an extension, a framework, a loose dylib) as verified."""

    path: str
    kind: str
    identifier: str | None
    team_id: str | None
    cdhashes: tuple[CodeDirectoryHash, ...] = ()
    ok: bool = True


@dataclass(frozen=True)
class Integrity:
    """The verdict of verifying an app's code signatures and seals as iOS does.

    ``bundles`` lists every code item innermost first, each with the cdhash of each
    CodeDirectory; ``problems`` name the item (or file) by its path in the archive.
    """

    ok: bool
    problems: tuple[IntegrityProblem, ...] = ()
    bundles: tuple[BundleIntegrity, ...] = ()


@dataclass(frozen=True)
class Profile:
    """A provisioning profile: the facts read from the file, plus what the admin gave it.

    ``display_name`` and ``description`` are the Intune pane's fields; ``file_sha256``
    addresses the original bytes kept beside the store.
    """

    uuid: str
    name: str
    app_id_name: str
    app_id: str
    team_id: str
    team_name: str
    platforms: tuple[str, ...]
    created: datetime
    expires: datetime
    type: ProfileType
    device_count: int
    devices: tuple[str, ...]
    entitlements: Mapping[str, Any]
    certificates: tuple[Certificate, ...]
    signature: Signature
    trust: Trust
    file_sha256: str = ""
    file_name: str = ""
    display_name: str = ""
    description: str = ""
    imported_by: str = ""
    imported_at: datetime | None = None
    revision: int = 0
    intune: IntuneOrigin | None = None

    @property
    def label(self) -> str:
        """What a person calls this profile: the admin's name, else the file's."""
        return self.display_name or self.name


@dataclass(frozen=True)
class NestedBundle:
    """An extension, watch app or framework inside an app, with its own profile if any."""

    path: str
    bundle_id: str | None
    embedded_profile: Profile | None


@dataclass(frozen=True)
class App:
    """An in-house app: what it is signed with, what it claims, what it was shipped with."""

    bundle_id: str
    name: str
    version: str = ""
    build: str = ""
    min_os: str = ""
    signing_certificate: Certificate | None = None
    entitlements: Mapping[str, Any] = field(default_factory=dict)
    embedded_profile: Profile | None = None
    nested: tuple[NestedBundle, ...] = ()
    file_sha256: str = ""
    added_by: str = ""
    added_at: datetime | None = None
    needs_resign: bool = False
    revision: int = 0
    intune: IntuneOrigin | None = None
    integrity: Integrity | None = None


@dataclass(frozen=True)
class Group:
    """An Intune group; All users and All devices are built in and cannot be deleted."""

    name: str
    kind: GroupKind
    description: str = ""
    builtin: bool = False
    revision: int = 0
    intune: IntuneOrigin | None = None


@dataclass(frozen=True)
class Assignment:
    """Which groups a profile (by UUID) or an app (by bundle ID) is included for and excluded from."""

    target_kind: TargetKind
    target: str
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    revision: int = 0


@dataclass(frozen=True)
class TrustAnchor:
    """A root a signature may chain to: Apple Root CA built in, others added by an admin."""

    label: str
    sha256: str
    pem: str
    builtin: bool = False
    demo: bool = False


@dataclass(frozen=True)
class AuditEvent:
    """One change to the store: who, from where, when, what, and the values around it."""

    at: datetime
    actor: str
    client: str
    action: str
    subject: str
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class Thresholds:
    """Days before a break at which a group turns critical or warning (settings, not constants)."""

    critical_days: int = 7
    warning_days: int = 30


@dataclass(frozen=True)
class Fleet:
    """A consistent read-only view of the whole store: what the rules take as input."""

    profiles: tuple[Profile, ...] = ()
    apps: tuple[App, ...] = ()
    groups: tuple[Group, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    anchors: tuple[TrustAnchor, ...] = ()
    thresholds: Thresholds = Thresholds()

    def assignment_for(self, target_kind: TargetKind, target: str) -> Assignment:
        """The assignment of one profile or app; an empty one when it has none."""
        for assignment in self.assignments:
            if assignment.target_kind == target_kind and assignment.target == target:
                return assignment
        return Assignment(target_kind, target)


def to_json(value: Any) -> Any:
    """Any model value as plain JSON data: dates as ISO ``Z`` strings, bytes as hex, sets sorted."""
    if isinstance(value, datetime):
        return iso(value)
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(to_json(v) for v in value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    return value


def _decode(kind: type[Any], name: str, raw: Any) -> Any:
    """Turn one JSON field back into the type its dataclass declares."""
    if raw is None:
        return None
    if name in _DATE_FIELDS:
        return parse_iso(raw)
    if name in _CERT_FIELDS:
        return from_json(Certificate, raw)
    if name == "certificates":
        return tuple(from_json(Certificate, c) for c in raw)
    if name == "embedded_profile":
        return from_json(Profile, raw)
    if name == "nested":
        return tuple(from_json(NestedBundle, n) for n in raw)
    if name == "intune":
        return from_json(IntuneOrigin, raw)
    if name == "integrity":
        return from_json(Integrity, raw)
    if name == "problems":
        return tuple(from_json(IntegrityProblem, p) for p in raw)
    if name == "bundles":
        return tuple(from_json(BundleIntegrity, b) for b in raw)
    if name == "cdhashes":
        return tuple(from_json(CodeDirectoryHash, c) for c in raw)
    if name in ("include", "exclude"):
        return frozenset(raw)
    if name in ("platforms", "devices", "targets"):
        return tuple(raw)
    if name == "thresholds":
        return from_json(Thresholds, raw)
    if name in _FLEET_FIELDS and kind is Fleet:
        return tuple(from_json(_FLEET_FIELDS[name], item) for item in raw)
    return raw


_DATE_FIELDS = {"not_before", "not_after", "created", "expires", "imported_at", "added_at", "at", "pulled_at"}
_CERT_FIELDS = {"signing_certificate"}
_FLEET_FIELDS: dict[str, type[Any]] = {
    "profiles": Profile,
    "apps": App,
    "groups": Group,
    "assignments": Assignment,
    "anchors": TrustAnchor,
}


def from_json(kind: type[Any], data: Mapping[str, Any]) -> Any:
    """Rebuild a dataclass from :func:`to_json` output; unknown keys are ignored (forward compatible)."""
    known = {f.name for f in fields(kind)}
    values = {k: _decode(kind, k, v) for k, v in data.items() if k in known}
    return kind(**values)


__all__ = [
    "ALL_DEVICES",
    "ALL_USERS",
    "BUILTIN_GROUPS",
    "App",
    "Assignment",
    "AuditEvent",
    "BundleIntegrity",
    "CertKind",
    "Certificate",
    "CodeDirectoryHash",
    "Fleet",
    "Group",
    "GroupKind",
    "Integrity",
    "IntegrityProblem",
    "IntuneOrigin",
    "NestedBundle",
    "Profile",
    "ProfileType",
    "Signature",
    "TargetKind",
    "Thresholds",
    "Trust",
    "TrustAnchor",
    "from_json",
    "iso",
    "parse_iso",
    "replace",
    "to_json",
]
