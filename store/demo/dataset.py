"""Build the demo world for a given moment: a demo PKI, real signed profiles, apps, groups, assignments.

Pure: ``build_demo(now)`` reads no clock and writes nothing; ``loader.py`` puts the result
into a store. The chain mirrors Apple's (root -> certification authority -> profile
signing; root -> developer relations -> "iPhone Distribution: <Company>") under a root
named "provdesk Demo Root CA (not Apple)", which a store trusts only when the demo is
loaded into it.

Speed and repeatability: every key is EC P-256 derived from a fixed seed and every
certificate is signed deterministically, so the whole PKI is the same for a given
``now`` and building it takes milliseconds. Profiles are signed with cryptography's
PKCS7SignatureBuilder (SHA-256) or, like Apple, with SHA-1; ``reproducible=True`` signs
every profile at its creation date instead of at the wall-clock time, so the files too
repeat byte for byte (screenshots).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from store.demo.catalog import APPS, ASSIGNMENTS, COMPANIES, GROUPS, PROFILES, CompanySpec, ProfileSpec
from store.demo.pki import Issued, make_intermediate, make_key, make_leaf, make_root
from store.demo.signing import Digest, make_profile
from store.model import GroupKind, TargetKind

ROOT_NAME = "provdesk Demo Root CA (not Apple)"
SIGNER_NAME = "Demo Provisioning Profile Signing"
ANCHOR_LABEL = "provdesk demo root — not Apple"
CERT_LIFETIME = timedelta(days=3 * 365)
PROFILE_LIFETIME = timedelta(days=365)
_UUID_NAMESPACE = uuid.UUID("6f1d7c9e-3a52-4c1b-9a57-2c4e0d9b8a11")


@dataclass(frozen=True)
class DemoCompany:
    """A fictional developer: its current distribution certificate and, if renewed, the new one."""

    key: str
    name: str
    team_id: str
    current: Issued
    renewed: Issued | None


@dataclass(frozen=True)
class DemoProfile:
    """One signed ``.mobileprovision`` and what the admin types into the Create pane for it."""

    key: str
    uuid: str
    file_name: str
    data: bytes
    name: str
    display_name: str
    description: str
    company: str
    team_id: str
    app_id: str
    created: datetime
    expires: datetime
    certificates: tuple[x509.Certificate, ...]


@dataclass(frozen=True)
class DemoApp:
    """An app added by hand: bundle ID, name, its profile's UUID, its signing certificate's SHA-256."""

    bundle_id: str
    name: str
    profile_uuid: str
    cert_sha256: str
    cert_expires: datetime


@dataclass(frozen=True)
class DemoGroup:
    """A user or device group the demo creates (the built-in ones already exist)."""

    name: str
    kind: GroupKind
    description: str


@dataclass(frozen=True)
class DemoAssignment:
    """Included and excluded groups of a profile (by UUID) or an app (by bundle ID)."""

    target_kind: TargetKind
    target: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]


@dataclass(frozen=True)
class DemoWorld:
    """Everything the demo store will hold, all dated relative to ``now``."""

    now: datetime
    root: Issued
    intermediates: tuple[Issued, ...]
    signer: Issued
    companies: tuple[DemoCompany, ...]
    profiles: tuple[DemoProfile, ...]
    apps: tuple[DemoApp, ...]
    groups: tuple[DemoGroup, ...]
    assignments: tuple[DemoAssignment, ...]

    @property
    def root_pem(self) -> bytes:
        """The demo root as PEM: what the store adds as a (demo-labelled) trust anchor."""
        return self.root.cert.public_bytes(serialization.Encoding.PEM)


def profile_uuid(key: str) -> str:
    """A stable upper-case UUID per demo profile, so refs and screenshots never change."""
    return str(uuid.uuid5(_UUID_NAMESPACE, f"provdesk-demo:{key}")).upper()


def cert_sha256(certificate: x509.Certificate) -> str:
    """Upper-case hex SHA-256 of the DER: the form the readers put in ``Certificate.sha256``."""
    return certificate.fingerprint(hashes.SHA256()).hex().upper()


def _company(spec: CompanySpec, developer_ca: Issued, now: datetime) -> DemoCompany:
    """A company's distribution certificate(s): one key, 3-year lifetimes, like Apple issues them."""
    key = make_key("ec", seed=f"company:{spec.key}")
    common_name = f"iPhone Distribution: {spec.name}"

    def issue(start: datetime, tag: str) -> Issued:
        start = start.replace(microsecond=0)
        return make_leaf(
            developer_ca, common_name, spec.team_id, kind="distribution", not_before=start,
            not_after=start + CERT_LIFETIME, organization=spec.name, key=key,
            seed=f"cert:{spec.key}:{tag}",
        )

    renewed = issue(now - spec.renewed_ago, "renewed") if spec.renewed_ago is not None else None
    return DemoCompany(spec.key, spec.name, spec.team_id, issue(now - spec.cert_age, "current"), renewed)


def _certificates(spec: ProfileSpec, company: DemoCompany) -> tuple[Issued, ...]:
    """Which of the company's certificates a profile lists."""
    if spec.certs == "current" or company.renewed is None:
        return (company.current,)
    if spec.certs == "renewed":
        return (company.renewed,)
    return (company.current, company.renewed)


def _profile(
    spec: ProfileSpec, company: DemoCompany, signer: Issued, chain: tuple[x509.Certificate, ...],
    now: datetime, reproducible: bool,
) -> DemoProfile:
    """Sign one profile; created a year before it expires, but never before its newest certificate."""
    issued = _certificates(spec, company)
    expires = (now + spec.expires_in).replace(microsecond=0)
    newest = max(i.cert.not_valid_before_utc for i in issued)
    created = min(max(expires - PROFILE_LIFETIME, newest + timedelta(hours=1)), now)
    certificates = tuple(i.cert for i in issued)
    digest = cast(Digest, spec.digest)
    signing_time = created if reproducible or digest == "sha1" else None
    data = make_profile(
        signer, chain, digest=digest, signing_time=signing_time, name=spec.name,
        uuid=profile_uuid(spec.key), team_id=company.team_id, team_name=company.name,
        app_id=spec.app_id, app_id_name=spec.app_id_name, created=created, expires=expires,
        certificates=certificates,
    )
    return DemoProfile(
        key=spec.key, uuid=profile_uuid(spec.key), file_name=f"{spec.key}.mobileprovision", data=data,
        name=spec.name, display_name=spec.display_name, description=spec.description,
        company=company.key, team_id=company.team_id, app_id=f"{company.team_id}.{spec.app_id}",
        created=created, expires=expires, certificates=certificates,
    )


def build_demo(now: datetime, *, reproducible: bool = False) -> DemoWorld:
    """The whole demo world for ``now``: PKI, ~30 signed enterprise profiles, 12 apps, groups, assignments."""
    now = now.astimezone(UTC).replace(microsecond=0)
    ca_from, ca_until = now - timedelta(days=6 * 365), now + timedelta(days=14 * 365)
    root = make_root(ROOT_NAME, key_type="ec", seed="root", not_before=ca_from, not_after=ca_until)
    authority = make_intermediate(root, "Demo iPhone Certification Authority", key_type="ec", seed="ica")
    developer_ca = make_intermediate(
        root, "Demo Developer Relations Certification Authority", key_type="ec", seed="wwdr",
    )
    signer = make_leaf(
        authority, SIGNER_NAME, kind="profile-signing", not_before=now - timedelta(days=5 * 365),
        not_after=now + timedelta(days=5 * 365), key_type="ec", organization="provdesk demo", seed="signer",
    )
    chain = (authority.cert, root.cert)
    companies = {spec.key: _company(spec, developer_ca, now) for spec in COMPANIES}
    profiles = tuple(
        _profile(spec, companies[spec.company], signer, chain, now, reproducible) for spec in PROFILES
    )
    by_key = {p.key: p for p in profiles}
    apps = []
    for app in APPS:
        profile = by_key[app.profile]
        company = companies[profile.company]
        certificate = (company.renewed if app.cert == "renewed" and company.renewed else company.current).cert
        apps.append(DemoApp(app.bundle_id, app.name, profile.uuid, cert_sha256(certificate),
                            certificate.not_valid_after_utc))
    assignments = tuple(
        DemoAssignment(
            a.target_kind, by_key[a.target].uuid if a.target_kind == "profile" else a.target,
            a.include, a.exclude,
        )
        for a in ASSIGNMENTS
    )
    return DemoWorld(
        now=now, root=root, intermediates=(authority, developer_ca), signer=signer,
        companies=tuple(companies.values()), profiles=profiles, apps=tuple(apps),
        groups=tuple(DemoGroup(name, kind, description) for name, kind, description in GROUPS),
        assignments=assignments,
    )


__all__ = [
    "ANCHOR_LABEL",
    "ROOT_NAME",
    "SIGNER_NAME",
    "DemoApp",
    "DemoAssignment",
    "DemoCompany",
    "DemoGroup",
    "DemoProfile",
    "DemoWorld",
    "build_demo",
    "cert_sha256",
    "profile_uuid",
]
