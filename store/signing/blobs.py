"""The blobs of an embedded signature, written big-endian as Apple lays them out (codesign.md §2–4).

A re-signed slice carries: two CodeDirectories (SHA-1 in slot 0, SHA-256 in 0x1000, as
Apple signs for every iOS version), the designated requirement, the XML and DER
entitlements, and the CMS wrapper, in one SuperBlob. The CodeDirectory is version 0x20400
(the floor iOS 15 enforces) with the exec segment fields; its page hashes cover
``[0, code_limit)`` of the slice in 4 KiB pages, the last one partial.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from store.formats.codesign.structure import (
    BLOB_WRAPPER,
    CODE_DIRECTORY,
    DER_ENTITLEMENTS,
    ENTITLEMENTS,
    HASH_TYPES,
    REQUIREMENTS,
    SLOT_ALTERNATE,
    SLOT_CMS,
    SLOT_DER_ENTITLEMENTS,
    SLOT_ENTITLEMENTS,
    SLOT_INFO,
    SLOT_REQUIREMENTS,
    SLOT_RESOURCES,
    SUPERBLOB,
)

REQUIREMENT = 0xFADE0C00
HASH_SHA1 = 1
HASH_SHA256 = 2
HASH_NAMES = {kind: HASH_TYPES[kind][0] for kind in (HASH_SHA1, HASH_SHA256)}
CD_VERSION = 0x20400
PAGE_SHIFT = 12
EXEC_SEG_MAIN_BINARY = 0x1
EXEC_SEG_ALLOW_UNSIGNED = 0x10
_CD_HEADER = struct.Struct(">9I4B4I4Q")  # the 0x58-byte header of a version 0x20400 CodeDirectory

# Requirement language opcodes and match operators (codesign.md §4.1).
_OP_IDENT, _OP_AND, _OP_CERT_FIELD, _OP_CERT_GENERIC, _OP_APPLE_GENERIC_ANCHOR = 2, 6, 11, 14, 15
_MATCH_EXISTS, _MATCH_EQUAL = 0, 1
_DESIGNATED = 3
_WWDR_MARKER = bytes.fromhex("2a864886f763640602 01".replace(" ", ""))  # 1.2.840.113635.100.6.2.1


def blob(magic: int, payload: bytes) -> bytes:
    """A blob: magic, total length, payload."""
    return struct.pack(">II", magic, 8 + len(payload)) + payload


def _data(value: bytes) -> bytes:
    """A requirement operand: length, bytes, zero padding to 4."""
    return struct.pack(">I", len(value)) + value + b"\x00" * (-len(value) % 4)


def designated_requirement(identifier: str, leaf_common_name: str) -> bytes:
    """The requirement set Xcode writes for iOS code (codesign.md §4.1).

    ``identifier "ID" and anchor apple generic and certificate leaf[subject.CN] = "CN"
    and certificate 1[field.1.2.840.113635.100.6.2.1] exists``
    """
    words = struct.pack(">I", 1)  # expression form
    words += struct.pack(">II", _OP_AND, _OP_IDENT) + _data(identifier.encode())
    words += struct.pack(">III", _OP_AND, _OP_APPLE_GENERIC_ANCHOR, _OP_AND)
    words += struct.pack(">II", _OP_CERT_FIELD, 0) + _data(b"subject.CN")
    words += struct.pack(">I", _MATCH_EQUAL) + _data(leaf_common_name.encode())
    words += struct.pack(">II", _OP_CERT_GENERIC, 1) + _data(_WWDR_MARKER) + struct.pack(">I", _MATCH_EXISTS)
    requirement = blob(REQUIREMENT, words)
    return blob(REQUIREMENTS, struct.pack(">III", 1, _DESIGNATED, 20) + requirement)


def digest(hash_type: int, data: bytes | memoryview) -> bytes:
    """The hash a CodeDirectory of ``hash_type`` uses."""
    return hashlib.new(HASH_NAMES[hash_type], data).digest()


def page_hashes(hash_type: int, code: bytes | memoryview, code_limit: int) -> list[bytes]:
    """One hash per 4 KiB page of ``code[:code_limit]``; the last page is partial, never padded."""
    view = memoryview(code)
    page = 1 << PAGE_SHIFT
    name = HASH_NAMES[hash_type]
    return [
        hashlib.new(name, view[at : min(at + page, code_limit)]).digest() for at in range(0, code_limit, page)
    ]


@dataclass(frozen=True)
class ExecSegment:
    """The ``__TEXT`` segment's file range and the exec-segment flags (codesign.md §3.3)."""

    base: int
    limit: int
    flags: int


def code_directory(
    hash_type: int,
    identifier: str,
    team_id: str,
    code: bytes | memoryview,
    code_limit: int,
    special: Mapping[int, bytes],
    exec_segment: ExecSegment,
) -> bytes:
    """A version 0x20400 CodeDirectory; ``special`` maps slot numbers to the blobs or files they hash."""
    size = 20 if hash_type == HASH_SHA1 else 32
    count = max((slot for slot, data in special.items() if data), default=0)
    specials = b"".join(
        digest(hash_type, special[slot]) if special.get(slot) else b"\x00" * size
        for slot in range(count, 0, -1)
    )
    codes = b"".join(page_hashes(hash_type, code, code_limit))
    ident = identifier.encode() + b"\x00"
    team = team_id.encode() + b"\x00"
    ident_offset = _CD_HEADER.size
    team_offset = ident_offset + len(ident)
    hash_offset = team_offset + len(team) + len(specials)
    length = hash_offset + len(codes)
    header = _CD_HEADER.pack(
        CODE_DIRECTORY,
        length,
        CD_VERSION,
        0,
        hash_offset,
        ident_offset,
        count,
        len(codes) // size,
        code_limit,
        size,
        hash_type,
        0,
        PAGE_SHIFT,
        0,
        0,
        team_offset,
        0,
        0,
        exec_segment.base,
        exec_segment.limit,
        exec_segment.flags,
    )
    return header + ident + team + specials + codes


def cdhash(hash_type: int, directory: bytes) -> bytes:
    """The full hash of a CodeDirectory (the cdhash is its first 20 bytes)."""
    return digest(hash_type, directory)


def superblob(blobs: Sequence[tuple[int, bytes]]) -> bytes:
    """The embedded-signature SuperBlob holding ``(slot, blob)`` pairs, in ascending slot order."""
    ordered = sorted(blobs)
    offset = 12 + 8 * len(ordered)
    index = b""
    for slot, data in ordered:
        index += struct.pack(">II", slot, offset)
        offset += len(data)
    return struct.pack(">III", SUPERBLOB, offset, len(ordered)) + index + b"".join(d for _, d in ordered)


__all__ = [
    "BLOB_WRAPPER",
    "DER_ENTITLEMENTS",
    "ENTITLEMENTS",
    "HASH_NAMES",
    "HASH_SHA1",
    "HASH_SHA256",
    "SLOT_ALTERNATE",
    "SLOT_CMS",
    "SLOT_DER_ENTITLEMENTS",
    "SLOT_ENTITLEMENTS",
    "SLOT_INFO",
    "SLOT_REQUIREMENTS",
    "SLOT_RESOURCES",
    "ExecSegment",
    "blob",
    "cdhash",
    "code_directory",
    "designated_requirement",
    "digest",
    "page_hashes",
    "superblob",
]
