"""The code signature of a Mach-O executable: who signed it and which entitlements it claims.

iOS checks the app's signing certificate against the profile, so the reader takes it
from the binary itself: ``LC_CODE_SIGNATURE`` points to a superblob holding the
CodeDirectory, the entitlements (XML, and on newer binaries DER too) and a CMS blob. The
signing identity is the CMS signer's certificate, matched by issuer and serial, never by
position (Apple lists the intermediate first). Thin and fat (32/64-bit) binaries are read.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

from store.errors import ParseError
from store.formats.cms import find_signer, parse_signed_data
from store.formats.derents import read_der_entitlements
from store.formats.plist import MAX_NESTING, load_plist, nesting
from store.formats.x509 import ParsedCert, parse_certificate
from store.model import Certificate

LC_CODE_SIGNATURE = 0x1D
SUPERBLOB = 0xFADE0CC0
BLOB_ENTITLEMENTS = 0xFADE7171
BLOB_DER_ENTITLEMENTS = 0xFADE7172
BLOB_CMS = 0xFADE0B01
SLOT_ENTITLEMENTS = 5
SLOT_DER_ENTITLEMENTS = 7
SLOT_CMS = 0x10000
_THIN = {b"\xce\xfa\xed\xfe": ("<", 28), b"\xcf\xfa\xed\xfe": ("<", 32),
         b"\xfe\xed\xfa\xce": (">", 28), b"\xfe\xed\xfa\xcf": (">", 32)}
_FAT = {b"\xca\xfe\xba\xbe": 20, b"\xca\xfe\xba\xbf": 32}
_MAX_COMMANDS = 4096


@dataclass(frozen=True)
class CodeSignature:
    """What a code signature says: the signing certificate and the claimed entitlements."""

    certificate: Certificate | None
    entitlements: dict[str, Any] = field(default_factory=dict)
    certificates: tuple[Certificate, ...] = ()


def _bad(reason: str) -> ParseError:
    """The one error this module raises."""
    return ParseError("unreadable-executable", f"the app's executable cannot be read: {reason}")


def _slices(data: bytes) -> list[tuple[int, int]]:
    """(offset, size) of each architecture: one for a thin binary, every slice of a fat one."""
    magic = data[:4]
    if magic in _THIN:
        return [(0, len(data))]
    if magic not in _FAT:
        raise _bad("not a Mach-O binary")
    entry = _FAT[magic]
    (count,) = struct.unpack_from(">I", data, 4)
    if count == 0 or count > 64:
        raise _bad("implausible number of architectures")
    slices = []
    for index in range(count):
        base = 8 + index * entry
        if entry == 20:
            offset, size = struct.unpack_from(">II", data, base + 8)
        else:
            offset, size = struct.unpack_from(">QQ", data, base + 8)
        if offset + size > len(data) or data[offset : offset + 4] not in _THIN:
            raise _bad("an architecture slice lies outside the file")
        slices.append((offset, size))
    return slices


def _signature_blob(data: bytes, offset: int, size: int) -> bytes | None:
    """The superblob one slice's ``LC_CODE_SIGNATURE`` points to, or ``None`` when unsigned."""
    order, header = _THIN[data[offset : offset + 4]]
    ncmds, sizeofcmds = struct.unpack_from(order + "II", data, offset + 16)
    if ncmds > _MAX_COMMANDS or header + sizeofcmds > size:
        raise _bad("load commands run past the end")
    cursor = offset + header
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from(order + "II", data, cursor)
        if cmdsize < 8 or cursor + cmdsize > offset + header + sizeofcmds:
            raise _bad("a load command has an impossible size")
        if cmd == LC_CODE_SIGNATURE:
            dataoff, datasize = struct.unpack_from(order + "II", data, cursor + 8)
            if dataoff + datasize > size:
                raise _bad("the code signature lies outside the binary")
            return data[offset + dataoff : offset + dataoff + datasize]
        cursor += cmdsize
    return None


def _blobs(superblob: bytes) -> dict[tuple[int, int], bytes]:
    """The payload of each blob in a superblob (always big-endian), by (slot, magic).

    The slot decides what a blob is: older binaries also put a 0xfade0b01 wrapper in slot 4.
    """
    magic, length, count = struct.unpack_from(">III", superblob, 0)
    if magic != SUPERBLOB or length > len(superblob) or count > 64:
        raise _bad("the code signature superblob is damaged")
    found: dict[tuple[int, int], bytes] = {}
    for index in range(count):
        slot, blob_offset = struct.unpack_from(">II", superblob, 12 + index * 8)
        blob_magic, blob_length = struct.unpack_from(">II", superblob, blob_offset)
        if blob_length < 8 or blob_offset + blob_length > len(superblob):
            raise _bad("a code signature blob is damaged")
        found.setdefault((slot, blob_magic), superblob[blob_offset + 8 : blob_offset + blob_length])
    return found


def _signer(cms_blob: bytes) -> tuple[Certificate | None, tuple[Certificate, ...]]:
    """The CMS signer's certificate (by issuer and serial) and all certificates in the blob."""
    if not cms_blob.strip(b"\x00"):
        return None, ()
    signed = parse_signed_data(cms_blob)
    pool: list[ParsedCert] = []
    for der in signed.certificates:
        try:
            pool.append(parse_certificate(der))
        except ParseError:
            continue
    signer = find_signer(signed, pool)
    return (signer.facts if signer else None), tuple(c.facts for c in pool)


def read_code_signature(data: bytes) -> CodeSignature:
    """The code signature of the first signed architecture; ``unreadable-executable`` when damaged."""
    try:
        for offset, size in _slices(data):
            superblob = _signature_blob(data, offset, size)
            if superblob is None:
                continue
            blobs = _blobs(superblob)
            xml = blobs.get((SLOT_ENTITLEMENTS, BLOB_ENTITLEMENTS))
            der = blobs.get((SLOT_DER_ENTITLEMENTS, BLOB_DER_ENTITLEMENTS))
            entitlements = load_plist(xml) if xml else read_der_entitlements(der) if der else {}
            if nesting(entitlements) > MAX_NESTING:
                raise _bad(f"its entitlements nest deeper than {MAX_NESTING} levels")
            certificate, certificates = _signer(blobs.get((SLOT_CMS, BLOB_CMS), b""))
            return CodeSignature(certificate, entitlements, certificates)
    except ParseError as error:
        if error.code == "unreadable-executable":
            raise
        raise _bad(error.message) from None
    except (struct.error, IndexError, ValueError, KeyError):
        raise _bad("its code signature is truncated or damaged") from None
    return CodeSignature(None)
