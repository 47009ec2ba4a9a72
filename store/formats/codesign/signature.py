"""The CMS signature over a slice's CodeDirectories: who signed them, and whether it holds.

The CMS is detached: it signs the bytes of the slot-0 CodeDirectory only. The alternates
are bound by two signed attributes, Apple's ``cdhashes`` plist (1.2.840.113635.100.9.1,
every 20-byte cdhash in hash-type order) and hash agility v2 (100.9.2, one full digest per
CD), so both are compared with the real CDs: otherwise an attacker could swap the SHA-256
CD of a SHA-1-signed binary. The chain is judged at the signing time like a profile's,
and when the CodeDirectory names a team, the leaf's (subject OU) must be the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import algos, core

from store.errors import ParseError
from store.formats.chain import evaluate_chain
from store.formats.cms import find_signer, parse_signed_data, verify_signed_data
from store.formats.codesign.structure import CodeDirectory
from store.formats.plist import load_plist
from store.formats.x509 import ParsedCert, parse_certificate
from store.model import TrustAnchor

CDHASHES_OID = "1.2.840.113635.100.9.1"
AGILITY_OID = "1.2.840.113635.100.9.2"
_ADHOC = 0x2


class AgileHash(core.Sequence):  # type: ignore[misc]
    """One 100.9.2 value: ``SEQUENCE { digestAlgorithm OID, full cdhash }`` (the re-signer writes it)."""

    _fields = [("algorithm", algos.DigestAlgorithmId), ("digest", core.OctetString)]  # noqa: RUF012


@dataclass(frozen=True)
class SignatureVerdict:
    """What the CMS check found: ``(code, message)`` problems, and the signer if one was found."""

    problems: tuple[tuple[str, str], ...]
    signer: ParsedCert | None


def _cdhashes_plist(values: tuple[bytes, ...]) -> list[bytes] | None:
    """The 100.9.1 ``cdhashes`` list, or ``None`` when the attribute does not say one."""
    if len(values) != 1:
        return None
    try:
        plist = load_plist(bytes(core.OctetString.load(values[0]).native))
    except (ParseError, ValueError, TypeError):
        return None
    hashes = plist.get("cdhashes")
    if not isinstance(hashes, list) or not all(isinstance(h, bytes) for h in hashes):
        return None
    return list(hashes)


def _agile(values: tuple[bytes, ...]) -> list[tuple[str, bytes]] | None:
    """The 100.9.2 entries as (hash name, full digest), or ``None`` when one does not parse."""
    found = []
    try:
        for value in values:
            entry = AgileHash.load(value)
            found.append((str(entry["algorithm"].native), bytes(entry["digest"].native)))
    except Exception:  # asn1crypto parses lazily: any damage surfaces here as any error
        return None
    return found


def _bindings(signed_attributes: dict[str, tuple[bytes, ...]], cds: Sequence[CodeDirectory]) -> list[str]:
    """Why the signed cdhash attributes do not name exactly these CodeDirectories."""
    reasons = []
    ordered = sorted(cds, key=lambda cd: cd.hash_type)
    if len(cds) > 1 and CDHASHES_OID not in signed_attributes and AGILITY_OID not in signed_attributes:
        reasons.append("the alternate CodeDirectories are not bound by any signed cdhashes attribute")
    if CDHASHES_OID in signed_attributes:
        listed = _cdhashes_plist(signed_attributes[CDHASHES_OID])
        if listed != [cd.cdhash for cd in ordered]:
            reasons.append("the signed cdhashes list does not match the CodeDirectories")
    if AGILITY_OID in signed_attributes:
        entries = _agile(signed_attributes[AGILITY_OID])
        if (
            entries is None
            or len(entries) != len(cds)
            or any((cd.hash_name, cd.cdhash_full) not in entries for cd in cds)
        ):
            reasons.append("the signed hash-agility digests do not match the CodeDirectories")
    return reasons


def _pool(certificates: Sequence[bytes]) -> list[ParsedCert]:
    """The certificates the CMS carries; one that does not parse is in no chain."""
    pool = []
    for der in certificates:
        try:
            pool.append(parse_certificate(der))
        except ParseError:
            continue
    return pool


def check_signature(
    wrapper: bytes | None, cds: Sequence[CodeDirectory], anchors: Sequence[TrustAnchor]
) -> SignatureVerdict:
    """Verify the CMS blob (``wrapper``, the 0xfade0b01 blob) of one slice against its CDs."""
    payload = wrapper[8:] if wrapper is not None else b""
    if not payload.strip(b"\x00"):
        kind = "ad-hoc signed" if cds[0].flags & _ADHOC else "signed without a certificate"
        return SignatureVerdict(
            (("unsigned-code", f"the code is {kind}: iOS runs only certified code"),), None
        )
    try:
        signed = parse_signed_data(payload)
    except ParseError as error:
        return SignatureVerdict(
            (("cms-invalid", f"the CMS signature cannot be read: {error.message}"),), None
        )
    pool = _pool(signed.certificates)
    signer = find_signer(signed, pool)
    if signer is None:
        return SignatureVerdict(
            (("cms-invalid", "the CMS signer's certificate is not in the signature"),), None
        )
    if not verify_signed_data(signed, signer, content=cds[0].raw):
        return SignatureVerdict(
            (("cms-invalid", "the CMS signature does not match the CodeDirectory"),), signer
        )
    problems = [("cdhash-mismatch", reason) for reason in _bindings(dict(signed.attributes), cds)]
    trust = evaluate_chain(signer, pool, anchors, signed.signing_time)
    if trust not in ("apple", "anchor"):
        problems.append(
            (
                "signer-untrusted",
                f"the signing certificate {signer.facts.common_name!r} "
                f"does not chain to Apple Root CA or an added anchor ({trust})",
            )
        )
    team = cds[0].team_id
    if team is not None and team != signer.facts.team_id:
        problems.append(
            (
                "team-mismatch",
                f"the CodeDirectory's team {team} is not the certificate's {signer.facts.team_id}",
            )
        )
    return SignatureVerdict(tuple(problems), signer)
