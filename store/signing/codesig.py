"""The SuperBlob of one code item: CodeDirectories, requirement, entitlements and the CMS over them.

Apple's layout for a distribution-signed iOS binary (codesign.md §2–5): a SHA-1
CodeDirectory in slot 0 and a SHA-256 one in 0x1000, both binding Info.plist (slot 1), the
requirement (2), CodeResources (3) and the entitlements (5, and 7 in DER for executables);
the CMS signs the slot-0 CodeDirectory and lists both cdhashes in its signed attributes.
Each signed slice's cdhashes are recorded, because the store's audit and ``--json`` show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from store.formats.codesign import Slice
from store.signing.blobs import (
    BLOB_WRAPPER,
    DER_ENTITLEMENTS,
    ENTITLEMENTS,
    EXEC_SEG_MAIN_BINARY,
    HASH_SHA1,
    HASH_SHA256,
    SLOT_ALTERNATE,
    SLOT_CMS,
    SLOT_DER_ENTITLEMENTS,
    SLOT_ENTITLEMENTS,
    SLOT_INFO,
    SLOT_REQUIREMENTS,
    SLOT_RESOURCES,
    ExecSegment,
    blob,
    cdhash,
    code_directory,
    designated_requirement,
    superblob,
)
from store.signing.cms import code_signature_cms
from store.signing.entitlements import entitlements_der, entitlements_xml
from store.signing.identity import Identity, SigningError
from store.signing.macho import sign_macho

_CD_HEADER = 0x58
_CMS_OVERHEAD = 2048  # signed attributes, signer info and the signature itself, generously
_SLACK = 1024


@dataclass(frozen=True)
class SliceHashes:
    """One signed slice: its CPU type and the cdhash (20 bytes, hex) of each CodeDirectory."""

    cputype: int
    sha1: str
    sha256: str


@dataclass
class CodeSpec:
    """What one code item is signed as: identifier, bound files, entitlements (``None``: none)."""

    identifier: str
    info_plist: bytes | None = None
    resources: bytes | None = None
    entitlements: Mapping[str, Any] | None = None
    signed: list[SliceHashes] = field(default_factory=list)


class SignatureBuilder:
    """Builds the SuperBlob of each slice of one code item with one identity at one signing time."""

    def __init__(self, spec: CodeSpec, identity: Identity, signing_time: datetime) -> None:
        """Prepare the blobs every slice shares (requirement, entitlements)."""
        self.spec = spec
        self.identity = identity
        self.signing_time = signing_time
        self.requirements = designated_requirement(spec.identifier, identity.common_name)
        ents = spec.entitlements
        self.xml = blob(ENTITLEMENTS, entitlements_xml(ents)) if ents is not None else b""
        self.der = blob(DER_ENTITLEMENTS, entitlements_der(ents)) if ents is not None else b""
        certificates = [identity.certificate, *identity.chain]
        self._fixed = (
            len(self.requirements)
            + len(self.xml)
            + len(self.der)
            + sum(len(c.tbs_certificate_bytes) + 600 for c in certificates)
            + _CMS_OVERHEAD
            + _SLACK
        )

    def room_needed(self, slice_: Slice) -> int:
        """An upper bound of this slice's SuperBlob size, known before any page is hashed."""
        limit = slice_.signature.dataoff if slice_.signature else slice_.size
        pages = (limit + 16 + 4095) // 4096 + 1
        names = len(self.spec.identifier) + len(self.identity.team_id) + 2
        directories = 2 * (_CD_HEADER + names) + (7 + pages) * (20 + 32)
        return 12 + 8 * 6 + directories + self._fixed

    def build(self, body: bytes, code_limit: int, exec_segment: ExecSegment, cputype: int) -> bytes:
        """The SuperBlob over ``body[:code_limit]``: two CodeDirectories, blobs, and the CMS."""
        main_binary = bool(exec_segment.flags & EXEC_SEG_MAIN_BINARY)
        der = self.der if main_binary else b""
        special = {
            SLOT_INFO: self.spec.info_plist or b"",
            SLOT_REQUIREMENTS: self.requirements,
            SLOT_RESOURCES: self.spec.resources or b"",
            SLOT_ENTITLEMENTS: self.xml,
            SLOT_DER_ENTITLEMENTS: der,
        }
        ident, team = self.spec.identifier, self.identity.team_id
        sha1_cd = code_directory(HASH_SHA1, ident, team, body, code_limit, special, exec_segment)
        sha256_cd = code_directory(HASH_SHA256, ident, team, body, code_limit, special, exec_segment)
        hashes = [(HASH_SHA1, cdhash(HASH_SHA1, sha1_cd)), (HASH_SHA256, cdhash(HASH_SHA256, sha256_cd))]
        cms = code_signature_cms(
            sha1_cd,
            hashes,
            self.identity.certificate,
            self.identity.key,
            self.identity.chain,
            self.signing_time,
        )
        self.spec.signed.append(SliceHashes(cputype, hashes[0][1][:20].hex(), hashes[1][1][:20].hex()))
        blobs = [
            (0, sha1_cd),
            (SLOT_REQUIREMENTS, self.requirements),
            (SLOT_ALTERNATE, sha256_cd),
            (SLOT_CMS, blob(BLOB_WRAPPER, cms)),
        ]
        if self.xml:
            blobs.append((SLOT_ENTITLEMENTS, self.xml))
        if der:
            blobs.append((SLOT_DER_ENTITLEMENTS, der))
        return superblob(blobs)


def sign_code(name: str, data: bytes, spec: CodeSpec, identity: Identity, signing_time: datetime) -> bytes:
    """One Mach-O file (every slice) signed as ``spec`` says; its cdhashes land in ``spec.signed``.

    The re-signer calls this for each code item; a test may call it to sign a bundle it
    changed on purpose, so the verifier sees a valid signature over the change.
    """
    builder = SignatureBuilder(spec, identity, signing_time)
    allow_unsigned = bool(spec.entitlements and spec.entitlements.get("get-task-allow") is True)
    try:
        return sign_macho(data, builder.room_needed, builder.build, allow_unsigned)
    except SigningError as error:
        raise SigningError(error.code, f"{name}: {error.message}") from None


__all__ = ["CodeSpec", "SignatureBuilder", "SliceHashes", "sign_code"]
