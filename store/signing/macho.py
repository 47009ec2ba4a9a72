"""Sign one Mach-O file (thin or fat): make room for the signature, hash the pages, write the SuperBlob.

The layout is read by the verifier's own structure reader (``store.formats.codesign``);
this module only writes. Per slice, in the order that keeps the page hashes true
(codesign.md §12.2 step 5): the signature stays where ``LC_CODE_SIGNATURE`` puts it (it
must be the last data of ``__LINKEDIT``, the last segment); when the new SuperBlob needs
more room, ``datasize`` and ``__LINKEDIT``'s file and VM sizes grow **before** any page is
hashed, because page 0 holds those fields. A binary without ``LC_CODE_SIGNATURE`` gets one
when the zero padding after its load commands has room for it, and a clean refusal when
not. A fat file is rebuilt with each slice at a 16 KiB boundary, zero gaps and no
trailing bytes, as Apple's strict check requires.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from store.errors import ParseError
from store.formats.codesign import Slice, parse_macho
from store.formats.codesign.structure import LC_CODE_SIGNATURE
from store.signing.blobs import ExecSegment
from store.signing.identity import SigningError

FAT_MAGIC = 0xCAFEBABE
SLICE_ALIGN_LOG2 = 14  # 16 KiB, where Apple puts every iOS slice
_VM_PAGE = 0x4000
_SIG_ALIGN = 16

# Builds the SuperBlob for one slice: (slice bytes up to the code limit, code limit, exec segment) -> blob.
BuildSignature = Callable[[bytes, int, ExecSegment, int], bytes]


def _round(value: int, unit: int) -> int:
    """``value`` rounded up to a multiple of ``unit``."""
    return -(-value // unit) * unit


def _order(slice_: Slice) -> str:
    """The slice's byte order for ``struct``."""
    return ">" if slice_.big_endian else "<"


def _linkedit_offsets(slice_: Slice) -> tuple[int, int]:
    """Where ``__LINKEDIT``'s vmsize and filesize fields sit in its command."""
    return (32, 48) if slice_.is_64 else (28, 36)


def _insert_signature_command(raw: bytearray, slice_: Slice) -> int:
    """Add ``LC_CODE_SIGNATURE`` after the load commands; its offset, or ``no-room-for-signature``."""
    at = slice_.header_size + slice_.sizeofcmds
    if raw[at : at + 16] != b"\x00" * 16:
        raise SigningError(
            "no-room-for-signature",
            "the binary has no LC_CODE_SIGNATURE and its load commands leave no room to add one",
        )
    order = _order(slice_)
    ncmds, sizeofcmds = struct.unpack_from(order + "II", raw, 16)
    struct.pack_into(order + "II", raw, 16, ncmds + 1, sizeofcmds + 16)
    struct.pack_into(order + "IIII", raw, at, LC_CODE_SIGNATURE, 16, 0, 0)
    return at


def _exec_segment(slice_: Slice, main_binary: bool, allow_unsigned: bool) -> ExecSegment:
    """``__TEXT``'s file range and the exec-segment flags (MAIN_BINARY for executables)."""
    text = slice_.segment("__TEXT")
    flags = (0x1 if main_binary else 0) | (0x10 if allow_unsigned and main_binary else 0)
    return ExecSegment(text.fileoff if text else 0, text.filesize if text else 0, flags)


def sign_slice(
    data: bytes,
    slice_: Slice,
    room_needed: int,
    build: BuildSignature,
    allow_unsigned: bool,
) -> bytes:
    """One slice re-signed: room made, pages hashed by ``build``, the SuperBlob zero-padded into place."""
    if slice_.cryptid:
        raise SigningError(
            "encrypted-binary", "the binary is encrypted (App Store DRM): a re-signed copy cannot run"
        )
    linkedit = slice_.segment("__LINKEDIT")
    if linkedit is None or max(slice_.segments, key=lambda s: s.fileoff) != linkedit:
        raise SigningError(
            "bad-layout", "__LINKEDIT is not the binary's last segment, so the signature cannot go there"
        )
    raw = bytearray(data)
    if slice_.signature is not None:
        command, code_limit, datasize = (
            slice_.signature.cmd_offset,
            slice_.signature.dataoff,
            slice_.signature.datasize,
        )
        if code_limit + datasize != linkedit.fileoff + linkedit.filesize:
            raise SigningError("bad-layout", "the code signature is not the last data in __LINKEDIT")
    else:
        if linkedit.fileoff + linkedit.filesize != len(raw):
            raise SigningError("bad-layout", "__LINKEDIT does not end at the end of the binary")
        command = _insert_signature_command(raw, slice_)
        code_limit, datasize = _round(len(raw), _SIG_ALIGN), 0
    if room_needed > datasize:
        datasize = _round(room_needed, _SIG_ALIGN)
    order = _order(slice_)
    struct.pack_into(order + "II", raw, command + 8, code_limit, datasize)
    vm_at, file_at = _linkedit_offsets(slice_)
    filesize = code_limit + datasize - linkedit.fileoff
    vmsize = max(linkedit.vmsize, _round(filesize, _VM_PAGE))
    field = order + ("Q" if slice_.is_64 else "I")
    struct.pack_into(field, raw, linkedit.cmd_offset + vm_at, vmsize)
    struct.pack_into(field, raw, linkedit.cmd_offset + file_at, filesize)
    del raw[code_limit:]
    raw.extend(b"\x00" * (code_limit - len(raw)))
    body = bytes(raw)
    signature = build(
        body, code_limit, _exec_segment(slice_, slice_.filetype == 2, allow_unsigned), slice_.cputype
    )
    if len(signature) > datasize:
        raise SigningError("signature-too-large", "the new signature outgrew the room estimated for it")
    return body + signature + b"\x00" * (datasize - len(signature))


def sign_macho(
    data: bytes,
    room_needed: Callable[[Slice], int],
    build: BuildSignature,
    allow_unsigned: bool,
) -> bytes:
    """A thin or fat Mach-O with every slice re-signed; fat files rebuilt at 16 KiB boundaries."""
    try:
        parsed = parse_macho(data)
    except ParseError as error:
        raise SigningError(error.code, error.message) from None
    signed = [
        sign_slice(data[s.offset : s.offset + s.size], s, room_needed(s), build, allow_unsigned)
        for s in parsed.slices
    ]
    if not parsed.fat:
        return signed[0]
    align = 1 << SLICE_ALIGN_LOG2
    header = struct.pack(">II", FAT_MAGIC, len(signed))
    body = b""
    offset = _round(8 + 20 * len(signed), align)
    for slice_, blob in zip(parsed.slices, signed, strict=True):
        header += struct.pack(
            ">iiIII", slice_.cputype, slice_.cpusubtype, offset, len(blob), SLICE_ALIGN_LOG2
        )
        body += b"\x00" * (offset - 8 - 20 * len(signed) - len(body)) + blob
        offset = _round(offset + len(blob), align)
    return header + body


__all__ = ["BuildSignature", "sign_macho", "sign_slice"]
