"""The single-host engine: TinyDB tables as files in a store directory, serialised with ``flock``.

Opening checks the directory is a store (or an empty place to make one); reads take the
shared lock only when ``store.json`` changed; a transaction takes the exclusive lock,
reloads what other processes committed, lets the caller edit through :class:`Tx`, then
commits the changed segments and swaps ``store.json`` atomically (:mod:`store.db.storage`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from store.db.blobs import BlobStore
from store.db.codec import docs_of
from store.db.files import PRIVATE, TMP_PREFIX, make_dir, modes_of
from store.db.lock import locked
from store.db.schema import BLOBS_DIR, MANIFEST, SCHEMA, TABLES_DIR
from store.db.storage import SegmentStorage
from store.db.tx import Tx
from store.errors import StoreError

OWN_NAMES = {MANIFEST, TABLES_DIR, BLOBS_DIR, ".lock"}


class LocalEngine:
    """One store directory, opened by one process."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.location = str(root)
        self.modes = modes_of(root)
        self.storage = SegmentStorage(root, self.modes)
        self.blobs = BlobStore(root, self.modes)
        self.needs_commit = False

    @classmethod
    def open(cls, path: Path, *, create: bool) -> LocalEngine:
        """Open (and with ``create``, make) the store at ``path``; refuse anything not a healthy store."""
        root = Path(path).expanduser()
        if not root.exists():
            if not create:
                raise StoreError("store-missing", f"no store at {root} (run `provdesk init`)")
            try:
                make_dir(root, PRIVATE)
            except OSError as exc:
                message = f"cannot create a store at {root}: {exc.strerror}"
                raise StoreError("store-unwritable", message) from exc
        elif not root.is_dir():
            raise StoreError("not-a-store", f"{root} is not a directory")
        if not os.access(root, os.R_OK | os.X_OK):
            raise StoreError("store-unreadable", f"no permission to read the store at {root}")
        if not (root / MANIFEST).exists():
            strangers = sorted(p.name for p in root.iterdir()
                               if p.name not in OWN_NAMES and not p.name.startswith(TMP_PREFIX))
            if any((root / n).exists() for n in (TABLES_DIR, BLOBS_DIR)):
                raise StoreError("store-corrupt", f"{root / MANIFEST} is missing but the store has data")
            if strangers:
                raise StoreError("not-a-store", f"{root} holds other files ({', '.join(strangers[:3])})")
            if not create:
                raise StoreError("store-missing", f"no store at {root} (run `provdesk init`)")
        engine = cls(root)
        engine.refresh(force=True)
        engine.needs_commit = engine.storage.stamp is None or engine.storage.schema < SCHEMA
        return engine

    @property
    def read_only(self) -> bool:
        """This user may not write the store directory."""
        return not os.access(self.root, os.W_OK)

    def refresh(self, *, force: bool = False) -> None:
        """Reload under the shared lock when another process committed since our last read."""
        if not force and not self.has_changed():
            return
        with locked(self.root, self.modes, exclusive=False):
            self.storage.load()

    def has_changed(self) -> bool:
        """Whether ``store.json`` differs from what we last read (one ``stat``)."""
        return self.storage.current_stamp() != self.storage.stamp

    @contextmanager
    def transaction(self, now: datetime, actor: str, client: str) -> Iterator[Tx]:
        """A locked read-modify-write: everything done through the ``Tx`` commits at once, or not at all."""
        with locked(self.root, self.modes, exclusive=True):
            if self.has_changed() or self.storage.stamp is None:
                self.storage.load()
            self.storage.begin()
            tx = Tx(self.storage, now, actor, client)
            try:
                yield tx
                tx.flush_audit()
                self.storage.commit()
            except OSError as exc:  # disk full, read-only store, lost permission: nothing was committed
                self.storage.rollback()
                raise StoreError(
                    "store-unwritable", f"cannot write the store at {self.root}: {exc.strerror or exc}"
                ) from exc
            except BaseException:  # the body failed: forget its edits
                self.storage.rollback()
                raise
            self.needs_commit = False
            for digest in tx.unreferenced_blobs():
                if not blob_in_use(self.storage.tables, digest):
                    self.blobs.remove(digest)

    def take_notices(self) -> list[str]:
        """A directory store has nothing to report beyond errors."""
        return []

    def close(self) -> None:
        """Nothing is held open between calls."""


def blob_in_use(tables: dict[str, dict[str, dict[str, object]]], digest: str) -> bool:
    """Whether any profile or app in ``tables`` still names this blob."""
    return any(doc.get("file_sha256") == digest
               for name in ("profiles", "apps") for doc in docs_of(tables, name))
