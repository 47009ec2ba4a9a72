"""The ``.ipa`` in and out: every entry read once, the changed ones rewritten, every other byte kept.

An admin's archive may hold things provdesk has no business touching (``Symbols/``,
``SwiftSupport/``, timestamps, permissions, compression choices), so an entry that is not
re-signed is copied as its raw compressed bytes with its metadata, never decompressed and
recompressed. The output goes to a temporary file beside the target, is checked by the
caller, and only then renamed into place: a failed re-sign leaves nothing behind and never
touches the input.
"""

from __future__ import annotations

import copy
import hashlib
import os
import stat
import struct
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from store.errors import ParseError
from store.formats.codesign import is_macho
from store.formats.zipsafe import MAX_TOTAL_BYTES, SafeZip
from store.signing.identity import SigningError
from store.signing.seal import FileDigest, SealEntry, Symlink

_LOCAL_HEADER = struct.Struct("<4s22xHH")
_DATA_DESCRIPTOR = 0x08
_ENCRYPTED = 0x01
_CHUNK = 1 << 20
# Files kept in memory: what a signature binds or rewrites. Everything else is only hashed.
_KEPT_NAMES = ("Info.plist",)


@dataclass
class Entry:
    """One archive member: its digests, whether it is Mach-O, and its bytes when the signer needs them."""

    info: zipfile.ZipInfo
    digest: SealEntry | None
    macho: bool
    data: bytes | None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    """A zip entry holding a symbolic link (Unix mode in the high bits of the external attributes)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def read_entries(path: Path) -> dict[str, Entry]:
    """Every entry of the archive, hashed in one pass; Mach-O files and Info.plists kept in memory."""
    try:
        with SafeZip(path) as screened:
            names = screened.names
    except ParseError as error:
        raise SigningError(error.code, error.message) from None
    entries: dict[str, Entry] = {}
    with zipfile.ZipFile(path) as archive:
        declared = sum(i.file_size for i in archive.infolist())
        if declared > MAX_TOTAL_BYTES:
            raise SigningError("too-large", f"the archive expands to {declared} B, over {MAX_TOTAL_BYTES} B")
        for info in archive.infolist():
            if info.flag_bits & _ENCRYPTED:
                raise SigningError("encrypted-archive", f"{info.filename} is encrypted in the zip")
            if info.is_dir():
                entries[info.filename] = Entry(info, None, False, None)
                continue
            entries[info.filename] = _read_entry(archive, info)
    if len(entries) != len(names):
        raise SigningError("duplicate-entry", "the archive lists one name twice")
    return entries


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Entry:
    """One file: SHA-1 and SHA-256 streamed; kept whole if it is Mach-O or an Info.plist."""
    sha1, sha256 = hashlib.sha1(), hashlib.sha256()
    chunks: list[bytes] = []
    keep: bool | None = None
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                if keep is None:
                    keep = is_macho(chunk[:4]) or info.filename.endswith(_KEPT_NAMES) or _is_symlink(info)
                sha1.update(chunk)
                sha256.update(chunk)
                if keep:
                    chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SigningError("not-a-zip", f"{info.filename} cannot be decompressed: {exc}") from None
    data = b"".join(chunks) if keep else None
    if _is_symlink(info):
        return Entry(info, Symlink((data or b"").decode("utf-8", "replace")), False, data)
    return Entry(
        info, FileDigest(sha1.digest(), sha256.digest()), data is not None and is_macho(data[:4]), data
    )


def digest_of(data: bytes) -> FileDigest:
    """The seal digests of new bytes."""
    return FileDigest(hashlib.sha1(data).digest(), hashlib.sha256(data).digest())


def _copy_raw(source: BinaryIO, target: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Copy one member's compressed bytes and metadata as they are (no decompression)."""
    source.seek(info.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(source.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise SigningError("not-a-zip", f"{info.filename}: the local header is damaged")
    source.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    copied = copy.copy(info)
    copied.flag_bits &= ~_DATA_DESCRIPTOR  # sizes and CRC go in the local header instead
    assert target.fp is not None
    copied.header_offset = target.fp.tell()
    target.fp.write(copied.FileHeader())
    remaining = info.compress_size
    while remaining:
        chunk = source.read(min(_CHUNK, remaining))
        if not chunk:
            raise SigningError("not-a-zip", f"{info.filename} is truncated")
        target.fp.write(chunk)
        remaining -= len(chunk)
    target.filelist.append(copied)
    target.NameToInfo[copied.filename] = copied
    target.start_dir = target.fp.tell()


def _new_info(name: str, like: zipfile.ZipInfo | None) -> zipfile.ZipInfo:
    """Metadata for a rewritten member: the old one's date and mode, or a plain file's."""
    if like is not None:
        info = zipfile.ZipInfo(name, like.date_time)
        info.external_attr, info.create_system = like.external_attr, like.create_system
    else:
        info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
        info.external_attr, info.create_system = (0o100644 << 16), 3
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_archive(
    source: Path,
    target: BinaryIO,
    entries: Mapping[str, Entry],
    changed: Mapping[str, bytes],
    removed: frozenset[str],
) -> None:
    """The output archive: members in their original order, changed ones rewritten, new ones appended."""
    with source.open("rb") as raw, zipfile.ZipFile(target, "w") as out:
        for name, entry in entries.items():
            if name in removed:
                continue
            if name in changed:
                out.writestr(_new_info(name, entry.info), changed[name])
            else:
                _copy_raw(raw, out, entry.info)
        for name in sorted(set(changed) - set(entries)):
            out.writestr(_new_info(name, None), changed[name])


@dataclass
class PendingOutput:
    """The temporary file an archive is written to, and the rename that publishes it."""

    stream: BinaryIO
    path: Path
    target: Path
    committed: bool = False

    def commit(self) -> None:
        """Flush to disk and rename over the target: readers see the old file or the new, never half."""
        self.stream.flush()
        os.fsync(self.stream.fileno())
        os.replace(self.path, self.target)
        self.committed = True


@contextmanager
def atomic_output(output: Path, source: Path) -> Iterator[PendingOutput]:
    """A temporary file beside ``output``; unless committed (an error, a failed check) it is removed."""
    if output.exists() and source.exists() and os.path.samefile(output, source):
        raise SigningError("output-is-input", "the output would overwrite the input .ipa; name another file")
    directory = output.parent
    if not directory.is_dir():
        raise SigningError("bad-output", f"the output folder {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial", dir=directory)
    pending = PendingOutput(os.fdopen(handle, "w+b"), Path(temporary), output)
    try:
        yield pending
    finally:
        pending.stream.close()
        if not pending.committed:
            pending.path.unlink(missing_ok=True)


__all__ = ["Entry", "PendingOutput", "atomic_output", "digest_of", "read_entries", "write_archive"]
