"""Mach-O slices, load commands, the code-signature superblob and its CodeDirectories.

Why hand-written: no well-kept Python library parses these structures. macholib and LIEF
expose the ``LC_CODE_SIGNATURE`` bytes raw, with no CodeDirectory, no page hashes and no
alternates, and nothing else is maintained. So this one ``struct`` module reads them, and
every offset and length is checked against the bytes it points into before use: any bytes
give either these dataclasses or ``ParseError('unreadable-executable')``, nothing else.

API (kept stable for the verifier and the re-signer):

* ``parse_macho(data) -> MachO``: ``MachO.fat`` (0 thin, 32 or 64), ``MachO.slices``.
* ``Slice``: ``offset``/``size`` in the file, ``cputype``, ``cpusubtype``, ``filetype``
  (2 executable, 6 dylib...), ``big_endian``, ``is_64``, ``header_size``, ``sizeofcmds``,
  ``segments`` (``Segment(name, cmd_offset, fileoff, filesize, vmaddr, vmsize)``),
  ``signature`` (``LinkeditData(cmd_offset, dataoff, datasize)`` or ``None``), ``cryptid``,
  and ``superblob`` (``SuperBlob`` or ``None``). All ``*_offset`` and ``dataoff`` are
  slice-relative, as the format defines them.
* ``SuperBlob``: ``length``, ``blobs`` (``Blob(slot, offset, magic, data)`` with ``data``
  the whole blob, header included), ``blob(slot)``, ``payload(slot, magic)`` (the bytes
  after the header), ``code_directories`` (slot 0 first, then the alternates 0x1000..).
* ``parse_code_directory(blob) -> CodeDirectory``: every header field, ``identifier``,
  ``team_id``, ``code_hashes``, ``special_hash(n)`` (n = 1 for Info.plist ... 7 for DER
  entitlements; ``None`` when absent or zero), ``hash_name``, ``cdhash`` (20 bytes) and
  ``cdhash_full``. ``check_integrity`` rules of Security's ``CodeDirectory`` are applied.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from store.errors import ParseError

LC_SEGMENT, LC_SEGMENT_64, LC_CODE_SIGNATURE = 0x1, 0x19, 0x1D
LC_ENCRYPTION_INFO, LC_ENCRYPTION_INFO_64 = 0x21, 0x2C
SUPERBLOB, CODE_DIRECTORY, REQUIREMENTS = 0xFADE0CC0, 0xFADE0C02, 0xFADE0C01
ENTITLEMENTS, DER_ENTITLEMENTS, BLOB_WRAPPER = 0xFADE7171, 0xFADE7172, 0xFADE0B01
SLOT_CD, SLOT_INFO, SLOT_REQUIREMENTS, SLOT_RESOURCES = 0, 1, 2, 3
SLOT_ENTITLEMENTS, SLOT_DER_ENTITLEMENTS = 5, 7
SLOT_ALTERNATE, SLOT_CMS = 0x1000, 0x10000
MH_EXECUTE, MH_DYLIB = 2, 6
HASH_TYPES = {1: ("sha1", 20), 2: ("sha256", 32), 3: ("sha256", 20), 4: ("sha384", 48)}
_THIN = {b"\xce\xfa\xed\xfe": ("<", 28), b"\xcf\xfa\xed\xfe": ("<", 32),
         b"\xfe\xed\xfa\xce": (">", 28), b"\xfe\xed\xfa\xcf": (">", 32)}
_FAT = {b"\xca\xfe\xba\xbe": 32, b"\xca\xfe\xba\xbf": 64}
MACHO_MAGICS = frozenset(_THIN) | frozenset(_FAT)
_MAX_ARCHS, _MAX_COMMANDS, _MAX_BLOBS, _MAX_ALTERNATES = 64, 4096, 64, 5


def _bad(reason: str) -> ParseError:
    """The one error this module raises."""
    return ParseError("unreadable-executable", f"the Mach-O code signature cannot be read: {reason}")


def _unpack(fmt: str, data: bytes, at: int, what: str) -> tuple[int, ...]:
    """``struct.unpack_from`` of integers that first checks the bytes are there."""
    if at < 0 or at + struct.calcsize(fmt) > len(data):
        raise _bad(f"{what} runs past the end")
    return struct.unpack_from(fmt, data, at)


def _cstring(data: bytes, at: int, what: str) -> str:
    """A NUL-terminated string that must end inside ``data``."""
    end = data.find(b"\x00", at) if 0 <= at < len(data) else -1
    if end < 0:
        raise _bad(f"the {what} is not a terminated string inside its blob")
    return data[at:end].decode("utf-8", "replace")


@dataclass(frozen=True)
class Segment:
    """One ``LC_SEGMENT(_64)``: where its bytes sit in the slice."""

    name: str
    cmd_offset: int
    fileoff: int
    filesize: int
    vmaddr: int
    vmsize: int


@dataclass(frozen=True)
class LinkeditData:
    """``LC_CODE_SIGNATURE``: the signature's place in the slice."""

    cmd_offset: int
    dataoff: int
    datasize: int


@dataclass(frozen=True)
class Blob:
    """One superblob entry: its slot, offset in the superblob, magic and whole bytes."""

    slot: int
    offset: int
    magic: int
    data: bytes


@dataclass(frozen=True)
class CodeDirectory:
    """One CodeDirectory blob, its fields read and its hash array bounds checked."""

    raw: bytes
    version: int
    flags: int
    hash_offset: int
    n_special: int
    n_code: int
    code_limit: int
    hash_size: int
    hash_type: int
    platform: int
    page_size_log2: int
    scatter_offset: int
    team_offset: int
    exec_seg_base: int
    exec_seg_limit: int
    exec_seg_flags: int
    identifier: str
    team_id: str | None

    @property
    def hash_name(self) -> str:
        """The hashlib name of this CD's hash type."""
        return HASH_TYPES[self.hash_type][0]

    @property
    def page_size(self) -> int:
        """Bytes per code page; 0 means one page covering everything."""
        return 1 << self.page_size_log2 if self.page_size_log2 else 0

    def _slot(self, index: int) -> bytes:
        """Hash slot ``index`` (negative: special slots), inside the blob by construction."""
        at = self.hash_offset + index * self.hash_size
        return self.raw[at : at + self.hash_size]

    @cached_property
    def code_hashes(self) -> tuple[bytes, ...]:
        """The page hashes, page 0 first."""
        return tuple(self._slot(i) for i in range(self.n_code))

    def special_hash(self, slot: int) -> bytes | None:
        """Special slot ``slot`` (1 Info.plist ... 7 DER entitlements); ``None`` if absent or zero."""
        if not 1 <= slot <= self.n_special:
            return None
        value = self._slot(-slot)
        return value if value.strip(b"\x00") else None

    @cached_property
    def _hasher(self) -> Callable[[bytes | memoryview], Any]:
        """hashlib's constructor for this CD's hash type (``hashlib.new`` looks it up per page)."""
        return getattr(hashlib, self.hash_name)  # type: ignore[no-any-return]

    def digest(self, data: bytes | memoryview) -> bytes:
        """``data`` hashed with this CD's hash type, truncated to its hash size."""
        return self._hasher(data).digest()[: self.hash_size]  # type: ignore[no-any-return]

    @cached_property
    def cdhash_full(self) -> bytes:
        """The untruncated hash of the whole CD blob (what the 9.2 attribute holds)."""
        return hashlib.new(self.hash_name, self.raw).digest()

    @property
    def cdhash(self) -> bytes:
        """The cdhash: the CD blob's hash truncated to 20 bytes."""
        return self.cdhash_full[:20]


def parse_code_directory(blob: bytes) -> CodeDirectory:
    """Read one CodeDirectory blob (header included) with Security's integrity rules."""
    magic, length, version, flags, hash_offset, ident_offset, n_special, n_code, limit = _unpack(
        ">9I", blob, 0, "the CodeDirectory header")
    size, kind, platform, page = _unpack(">4B", blob, 0x24, "the CodeDirectory header")
    if magic != CODE_DIRECTORY or length != len(blob):
        raise _bad("a CodeDirectory has a wrong magic or length")
    if not 0x20001 <= version < 0x2F000:
        raise _bad(f"CodeDirectory version {version:#x} is not supported")
    if kind not in HASH_TYPES or HASH_TYPES[kind][1] != size:
        raise _bad(f"CodeDirectory hash type {kind} with size {size} is not supported")
    scatter = _unpack(">I", blob, 0x2C, "the scatter offset")[0] if version >= 0x20100 else 0
    team_offset = _unpack(">I", blob, 0x30, "the team offset")[0] if version >= 0x20200 else 0
    if version >= 0x20300:
        limit64 = _unpack(">Q", blob, 0x38, "codeLimit64")[0]
        limit = limit64 or limit
    base = seg_limit = seg_flags = 0
    if version >= 0x20400:
        base, seg_limit, seg_flags = _unpack(">3Q", blob, 0x40, "the exec segment")
    if page > 30 or n_special > 64 or hash_offset < size * n_special or hash_offset + size * n_code > length:
        raise _bad("the CodeDirectory hash array lies outside its blob")
    expected = (((limit - 1) >> page) + 1 if limit else 0) if page else (1 if limit else 0)
    if n_code != expected:
        raise _bad(f"the CodeDirectory has {n_code} page hashes for a limit of {limit} bytes")
    return CodeDirectory(
        raw=blob, version=version, flags=flags, hash_offset=hash_offset, n_special=n_special,
        n_code=n_code, code_limit=limit, hash_size=size, hash_type=kind, platform=platform,
        page_size_log2=page, scatter_offset=scatter, team_offset=team_offset, exec_seg_base=base,
        exec_seg_limit=seg_limit, exec_seg_flags=seg_flags,
        identifier=_cstring(blob, ident_offset, "identifier"),
        team_id=_cstring(blob, team_offset, "team ID") if team_offset else None,
    )


@dataclass(frozen=True)
class SuperBlob:
    """The embedded signature: its declared length and every blob it indexes."""

    length: int
    blobs: tuple[Blob, ...]

    def blob(self, slot: int) -> bytes | None:
        """The whole blob in ``slot`` (first one if listed twice), or ``None``."""
        return next((b.data for b in self.blobs if b.slot == slot), None)

    def payload(self, slot: int, magic: int) -> bytes | None:
        """The bytes after the header of the blob in ``slot``, if that blob has ``magic``."""
        return next((b.data[8:] for b in self.blobs if b.slot == slot and b.magic == magic), None)

    @cached_property
    def code_directories(self) -> tuple[CodeDirectory, ...]:
        """Slot 0 then the alternates from 0x1000 until the first empty slot (as Security reads them)."""
        primary = self.blob(SLOT_CD)
        if primary is None:
            raise _bad("the signature has no CodeDirectory in slot 0")
        found = [parse_code_directory(primary)]
        for slot in range(SLOT_ALTERNATE, SLOT_ALTERNATE + _MAX_ALTERNATES):
            blob = self.blob(slot)
            if blob is None:
                break
            found.append(parse_code_directory(blob))
        if len({cd.hash_type for cd in found}) != len(found):
            raise _bad("two CodeDirectories have the same hash type")
        return tuple(found)


def parse_superblob(data: bytes) -> SuperBlob:
    """Read the superblob at the start of ``data`` (the ``LC_CODE_SIGNATURE`` range)."""
    magic, length, count = _unpack(">3I", data, 0, "the superblob header")
    if magic != SUPERBLOB or not 12 + 8 * count <= length <= len(data) or count > _MAX_BLOBS:
        raise _bad("the superblob header is damaged")
    blobs = []
    for index in range(count):
        slot, offset = _unpack(">2I", data, 12 + 8 * index, "a superblob index")
        blob_magic, blob_length = _unpack(">2I", data, offset, "a blob header")
        if offset < 12 + 8 * count or blob_length < 8 or offset + blob_length > length:
            raise _bad(f"blob {slot:#x} lies outside the superblob")
        blobs.append(Blob(slot, offset, blob_magic, data[offset : offset + blob_length]))
    return SuperBlob(length, tuple(blobs))


@dataclass(frozen=True)
class Slice:
    """One architecture: a complete Mach-O at ``[offset, offset+size)`` of the file."""

    offset: int
    size: int
    cputype: int
    cpusubtype: int
    filetype: int
    big_endian: bool
    is_64: bool
    header_size: int
    sizeofcmds: int
    segments: tuple[Segment, ...]
    signature: LinkeditData | None
    cryptid: int
    superblob: SuperBlob | None

    def segment(self, name: str) -> Segment | None:
        """The first segment of that name (``__TEXT``, ``__LINKEDIT``)."""
        return next((s for s in self.segments if s.name == name), None)


def _segment(data: bytes, order: str, at: int, cmd: int) -> Segment:
    """An ``LC_SEGMENT`` or ``LC_SEGMENT_64`` command at ``at``."""
    raw_name = data[at + 8 : at + 24]
    fmt = order + ("4Q" if cmd == LC_SEGMENT_64 else "4I")
    vmaddr, vmsize, fileoff, filesize = _unpack(fmt, data, at + 24, "a segment command")
    return Segment(raw_name.rstrip(b"\x00").decode("ascii", "replace"), at, fileoff, filesize, vmaddr, vmsize)


def _slice(data: bytes, offset: int, size: int) -> Slice:
    """Read one slice's header and load commands; ``data`` is the slice's bytes."""
    order, header = _THIN.get(data[:4], ("", 0))
    if not order:
        raise _bad("a slice is not a Mach-O")
    cputype, cpusubtype, filetype, ncmds, sizeofcmds = _unpack(order + "iiIII", data, 4, "the Mach-O header")
    if ncmds > _MAX_COMMANDS or header + sizeofcmds > len(data):
        raise _bad("the load commands run past the end")
    segments, signature, cryptid, cursor = [], None, 0, header
    for _ in range(ncmds):
        cmd, cmdsize = _unpack(order + "II", data, cursor, "a load command")
        if cmdsize < 8 or cursor + cmdsize > header + sizeofcmds:
            raise _bad("a load command has an impossible size")
        if cmd in (LC_SEGMENT, LC_SEGMENT_64):
            if cmdsize < (72 if cmd == LC_SEGMENT_64 else 56):
                raise _bad("a segment command is too short")
            segments.append(_segment(data, order, cursor, cmd))
        elif cmd == LC_CODE_SIGNATURE and signature is None:
            dataoff, datasize = _unpack(order + "II", data, cursor + 8, "LC_CODE_SIGNATURE")
            if dataoff + datasize > len(data):
                raise _bad("the code signature lies outside the binary")
            signature = LinkeditData(cursor, dataoff, datasize)
        elif cmd in (LC_ENCRYPTION_INFO, LC_ENCRYPTION_INFO_64):
            cryptid = _unpack(order + "I", data, cursor + 16, "LC_ENCRYPTION_INFO")[0]
        cursor += cmdsize
    superblob = None
    if signature is not None:
        superblob = parse_superblob(data[signature.dataoff : signature.dataoff + signature.datasize])
    return Slice(offset, size, cputype, cpusubtype, filetype, order == ">", header == 32, header,
                 sizeofcmds, tuple(segments), signature, cryptid, superblob)


@dataclass(frozen=True)
class MachO:
    """A thin or fat Mach-O file: ``fat`` is 0 (thin), 32 or 64."""

    fat: int
    slices: tuple[Slice, ...]


def is_macho(head: bytes) -> bool:
    """Whether bytes start like a Mach-O (thin or fat): how loose code is found in a bundle."""
    return head[:4] in MACHO_MAGICS


def parse_macho(data: bytes) -> MachO:
    """Every slice of a thin or fat Mach-O; raises only ``ParseError('unreadable-executable')``."""
    data = bytes(data)
    if data[:4] in _THIN:
        return MachO(0, (_slice(data, 0, len(data)),))
    width = _FAT.get(data[:4])
    if width is None:
        raise _bad("not a Mach-O binary")
    (count,) = _unpack(">I", data, 4, "the fat header")
    if not 0 < count <= _MAX_ARCHS:
        raise _bad("implausible number of architectures")
    slices = []
    for index in range(count):
        if width == 32:
            _, _, offset, size, _ = _unpack(">iiIII", data, 8 + 20 * index, "a fat_arch")
        else:
            _, _, offset, size, _, _ = _unpack(">iiQQII", data, 8 + 32 * index, "a fat_arch")
        if offset < 8 or offset + size > len(data):
            raise _bad("an architecture slice lies outside the file")
        slices.append(_slice(data[offset : offset + size], offset, size))
    return MachO(width, tuple(slices))
