"""Original files kept byte for byte beside the store, named by their SHA-256.

The JSON stays small (a 30 KB profile or a 50 MB .ipa never enters it) and the bytes an
admin exports or re-uploads to Intune are exactly those Apple signed. A blob is written
atomically and durably *before* any document names it, so a crash can leave an unused
blob (``doctor`` reports it) but never a document pointing at nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from store.db.files import TMP_PREFIX, Modes, atomic_write, fsync_dir, make_dir, remove_stale_temps
from store.db.schema import BLOBS_DIR
from store.errors import StoreError


def sha256_hex(data: bytes) -> str:
    """The content address of ``data``."""
    return hashlib.sha256(data).hexdigest()


WRITERS = 8


class BlobStore:
    """``<store>/blobs/ab/abcdef...``: write once, read back verified."""

    def __init__(self, root: Path, modes: Modes) -> None:
        self.base = root / BLOBS_DIR
        self.modes = modes

    def path(self, digest: str) -> Path:
        """Where the blob of ``digest`` lives (two-character fan-out keeps directories small)."""
        return self.base / digest[:2] / digest

    def put_many(self, items: list[bytes]) -> list[str]:
        """Store several blobs durably; returns their digests.

        Every fsync here waits for the disk, and on a busy machine that wait, not the
        writing, is the cost: made one after another, an import of 1,000 profiles into
        256 new fan-out directories spent most of its time in about 500 directory fsyncs.
        So the new fan-out directories are made first with one fsync of ``blobs/`` for all
        of them; then the files are written and fsynced, and then each directory is fsynced
        (making its renames durable), from a few threads at once, since concurrent fsyncs
        share journal commits.
        """
        digests: list[str] = []
        pending: dict[Path, bytes] = {}
        for data in items:
            digest = sha256_hex(data)
            digests.append(digest)
            target = self.path(digest)
            if target not in pending and not target.exists():
                pending[target] = data
        if not pending:
            return digests
        make_dir(self.base, self.modes)
        dirs = {target.parent for target in pending}
        if [directory for directory in dirs if make_dir(directory, self.modes, sync_parent=False)]:
            fsync_dir(self.base)

        def write(job: tuple[Path, bytes]) -> None:
            atomic_write(job[0], job[1], self.modes, sync_dir=False)

        with ThreadPoolExecutor(max_workers=min(WRITERS, len(pending))) as pool:
            list(pool.map(write, pending.items()))  # list(): re-raises the first failure here
            list(pool.map(fsync_dir, dirs))
        for directory in dirs:
            remove_stale_temps(directory)  # callers hold the write lock: any temp is a dead writer's
        remove_stale_temps(self.base)
        return digests

    def put(self, data: bytes) -> str:
        """Store one blob durably; returns its digest."""
        return self.put_many([data])[0]

    def get(self, digest: str) -> bytes:
        """The bytes of ``digest``, checked against it (a damaged blob is an error, not data)."""
        path = self.path(digest)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise StoreError("blob-missing", f"the original file {digest} is missing from {self.base}") \
                from exc
        except OSError as exc:
            raise StoreError("store-unreadable", f"cannot read {path}: {exc.strerror}") from exc
        if sha256_hex(data) != digest:
            raise StoreError("blob-corrupt", f"the original file {digest} no longer matches its SHA-256")
        return data

    def exists(self, digest: str) -> bool:
        """Whether the blob of ``digest`` is stored (not checked: :meth:`get` does that)."""
        return self.path(digest).is_file()

    def remove(self, digest: str) -> None:
        """Delete a blob nothing refers to any more (called under the write lock)."""
        self.path(digest).unlink(missing_ok=True)

    def digests(self) -> Iterator[tuple[str, Path]]:
        """Every stored blob (for ``doctor``), temp files excluded."""
        if not self.base.is_dir():
            return
        for sub in sorted(self.base.iterdir()):
            if sub.is_dir():
                for item in sorted(sub.iterdir()):
                    if not item.name.startswith(TMP_PREFIX):
                        yield item.name, item
