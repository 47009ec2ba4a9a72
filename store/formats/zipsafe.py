"""A zip read in place with the guards an uploaded file needs: nothing is ever extracted.

An ``.ipa`` comes from outside, so its central directory is not believed blindly: the
entry count is checked before the directory is loaded, every name is refused if it is
absolute, climbs out with ``..`` or is longer than iOS allows, and each read is capped in
size, in compression ratio and in the total bytes decompressed, so a zip bomb costs a
bounded amount of work.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from store.errors import ParseError

MAX_ENTRIES = 50_000
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
MAX_NAME = 1024
_RATIO_FLOOR = 1024 * 1024
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


def is_zip(head: bytes) -> bool:
    """Whether bytes start like a zip (how ``inspect`` tells an app from a profile)."""
    return head[:4] in _ZIP_MAGICS


def _declared_entries(stream: BinaryIO) -> int | None:
    """The entry count in the end-of-central-directory record, read before zipfile loads it all."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - 65_557))
    tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    (count,) = struct.unpack_from("<H", tail, at + 10)
    return None if count == 0xFFFF else int(count)


def unsafe_name(name: str) -> bool:
    """Absolute, drive-qualified, backslashed or ``..`` names: what path traversal looks like.

    Names longer than iOS's PATH_MAX (1024) are refused too: no device can install them, and
    every path-by-rule check (the seal's) costs in proportion to the name.
    """
    if not name or len(name) > MAX_NAME or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if len(name) > 1 and name[1] == ":":
        return True
    return ".." in name.split("/")  # the parts PurePosixPath would give, without building one per entry


class SafeZip:
    """An opened archive: its names, and capped reads of single entries."""

    def __init__(self, source: bytes | Path) -> None:
        """Open ``source`` (bytes in memory, or a file left in place) and check its directory."""
        self._file: BinaryIO = open(source, "rb") if isinstance(source, Path) else io.BytesIO(source)  # noqa: SIM115
        self._read = 0
        try:
            if not is_zip(self._file.read(4)):
                raise ParseError("not-a-zip", "the file is not a zip archive, so it is not an .ipa")
            declared = _declared_entries(self._file)
            if declared is not None and declared > MAX_ENTRIES:
                raise ParseError("too-many-entries", f"{declared} entries, over {MAX_ENTRIES}")
            self._zip = zipfile.ZipFile(self._file)
            infos = self._zip.infolist()
        except ParseError:
            self._file.close()
            raise
        except Exception:
            self._file.close()
            raise ParseError("not-a-zip", "the zip archive is damaged or truncated") from None
        if len(infos) > MAX_ENTRIES:
            self.close()
            raise ParseError("too-many-entries", f"{len(infos)} entries, over {MAX_ENTRIES}")
        for info in infos:
            if unsafe_name(info.filename):
                self.close()
                raise ParseError("unsafe-path", f"the archive holds an unsafe name: {info.filename[:80]!r}")
        self.names: tuple[str, ...] = tuple(info.filename for info in infos)
        self._names = frozenset(self.names)

    def __contains__(self, name: object) -> bool:
        """Whether the archive holds an entry of exactly that name."""
        return name in self._names

    def is_symlink(self, name: str) -> bool:
        """Whether the entry was stored as a Unix symlink (its bytes are then the link's target)."""
        return (self._zip.getinfo(name).external_attr >> 16) & 0o170000 == 0o120000

    def chunks(self, name: str, limit: int = MAX_ENTRY_BYTES) -> Iterator[bytes]:
        """One entry inflated piece by piece, refusing sizes, ratios and totals a real app never has.

        The code-signature check hashes every file as it inflates, so a 200 MB archive is
        verified without holding any large entry in memory.
        """
        info = self._zip.getinfo(name)
        if info.file_size > limit:
            raise ParseError("too-large", f"{name} is {info.file_size} bytes (limit {limit})")
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ParseError("zip-bomb", f"{name} expands more than {MAX_RATIO} times: refusing a zip bomb")
        if self._read + info.file_size > MAX_TOTAL_BYTES:
            raise ParseError("zip-bomb", f"reading {name} would pass {MAX_TOTAL_BYTES} bytes in total")
        got = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(1 << 20):
                    got += len(chunk)
                    if got > info.file_size:
                        raise ParseError("zip-bomb", f"{name} expands past its declared size")
                    self._read += len(chunk)
                    yield chunk
        except ParseError:
            raise
        except Exception:
            raise ParseError("not-a-zip", f"{name} cannot be decompressed (damaged or encrypted)") from None

    def read(self, name: str, limit: int = MAX_ENTRY_BYTES) -> bytes:
        """One entry's bytes, with the caps of :meth:`chunks`."""
        return b"".join(self.chunks(name, limit))

    def close(self) -> None:
        """Release the file (the archive is read in place, so it stays open until here)."""
        zf = getattr(self, "_zip", None)
        if zf is not None:
            zf.close()
        self._file.close()

    def __enter__(self) -> SafeZip:
        """Use as a context manager so the file is always closed."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close on the way out, error or not."""
        self.close()
