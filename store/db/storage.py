"""TinyDB's storage, made safe: tables as immutable segments, committed by one atomic rename.

TinyDB's default ``JSONStorage`` rewrites one file in place with no lock: two processes
lose each other's changes and a kill mid-write leaves half a file. This storage keeps the
tables in memory, lets TinyDB's ``Table`` API edit them inside a transaction, and on
:meth:`SegmentStorage.commit` writes only the tables that changed (TinyDB replaces a
table's dict on every update, so identity tells us which) before swapping ``store.json``.
The layout is described in :mod:`store.db.schema`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from store.db import jsonio
from store.db.files import Modes, atomic_write, fsync_dir, make_dir, remove_stale_temps
from store.db.schema import MANIFEST, SCHEMA, TABLES_DIR, Tables, check_manifest, empty_manifest, migrate
from store.errors import StoreError

Stamp = tuple[int, int, int]


def encode_table(table: dict[str, Any]) -> bytes:
    """A table's canonical bytes (compact JSON) — what its segment file holds and is named by."""
    return json.dumps(table, separators=(",", ":"), ensure_ascii=False).encode()


class SegmentStorage(Storage):
    """The store's tables for TinyDB: read from segments, written only by :meth:`commit`."""

    def __init__(self, root: Path, modes: Modes) -> None:
        self.root = root
        self.modes = modes
        self.tables: Tables = {}
        self.hashes: dict[str, str] = {}
        self.generation = 0
        self.stamp: Stamp | None = None
        self.schema = SCHEMA
        self._loaded: dict[str, dict[str, Any]] = {}
        self._writable = False

    # -- TinyDB's interface -------------------------------------------------------------
    def read(self) -> Tables:
        """The tables as they stand in this transaction (TinyDB edits this dict)."""
        return self.tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Accept TinyDB's edit in memory; only a transaction may edit."""
        if not self._writable:
            raise StoreError("not-locked", "a store change was attempted outside a write transaction")
        self.tables = data

    # -- loading --------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        """Where the root document lives."""
        return self.root / MANIFEST

    def current_stamp(self) -> Stamp | None:
        """(mtime_ns, size, inode) of ``store.json``; it changes on every commit (a new inode)."""
        try:
            st = os.stat(self.manifest_path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError("store-unreadable", f"cannot read {self.manifest_path}: {exc.strerror}") from exc
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read_json(self, path: Path, what: str) -> Any:
        try:
            raw = path.read_bytes()
        except FileNotFoundError as exc:
            raise StoreError("store-corrupt", f"{what} {path} is missing") from exc
        except OSError as exc:
            raise StoreError("store-unreadable", f"cannot read {path}: {exc.strerror}") from exc
        try:
            return jsonio.loads(raw), raw
        except (ValueError, UnicodeDecodeError) as exc:
            raise StoreError("store-corrupt", f"{what} {path} is not valid JSON: {exc}") from exc

    def load(self) -> bool:
        """Bring the in-memory tables up to the committed state; ``False`` when nothing changed.

        Segments whose hash we already hold are not re-read.
        An older schema is migrated in memory; every table then counts as changed, so
        the next commit (which :class:`~store.db.core.StoreCore` makes at once, under the
        write lock) writes the migrated store.
        """
        stamp = self.current_stamp()
        if stamp is not None and stamp == self.stamp:
            return False
        if stamp is None:
            manifest = empty_manifest()
        else:
            manifest, _ = self._read_json(self.manifest_path, "store document")
            manifest = check_manifest(manifest, str(self.manifest_path))
        tables: Tables = {}
        for name, digest in manifest["tables"].items():
            if self.hashes.get(name) == digest and name in self._loaded:
                table = self._loaded[name]
            else:
                path = self.root / TABLES_DIR / f"{digest}.json"
                table, raw = self._read_json(path, f"table {name!r}")
                if hashlib.sha256(raw).hexdigest() != digest or not isinstance(table, dict):
                    raise StoreError("store-corrupt", f"table {name!r} ({path}) does not match its hash")
            tables[name] = table
        self.schema = int(manifest["schema"])
        if self.schema < SCHEMA:
            tables = migrate(tables, self.schema)
        self.tables = tables
        self._loaded = dict(tables) if self.schema == SCHEMA else {}
        self.hashes = dict(manifest["tables"]) if self.schema == SCHEMA else {}
        self.generation = int(manifest.get("generation", 0))
        self.stamp = stamp
        return True

    # -- transactions ---------------------------------------------------------------------
    def begin(self) -> None:
        """Start accepting TinyDB writes (the caller holds the exclusive lock)."""
        self._writable = True

    def rollback(self) -> None:
        """Forget uncommitted edits: changed tables are dropped and re-read on the next load."""
        self._writable = False
        for name in list(self._loaded):
            if self.tables.get(name) is not self._loaded[name]:
                self._loaded.pop(name)
                self.hashes.pop(name, None)
        self.stamp = None
        self.load()

    def changed_tables(self) -> list[str]:
        """Names of tables edited (or created) since the last load or commit."""
        changed = [n for n, t in self.tables.items() if self._loaded.get(n) is not t]
        return changed + [n for n in self._loaded if n not in self.tables]

    def commit(self) -> list[str]:
        """Write the changed tables, then swap ``store.json``; returns the changed table names.

        Order matters for crash safety: segments are durable before the root document
        that names them, and the old segments are deleted only after the swap.
        """
        self._writable = False
        changed = self.changed_tables()
        if not changed and self.stamp is not None and self.schema == SCHEMA:
            return []
        tables_dir = self.root / TABLES_DIR
        make_dir(tables_dir, self.modes)
        hashes = {n: h for n, h in self.hashes.items() if n in self.tables}
        for name in changed:
            if name not in self.tables:
                continue
            data = encode_table(self.tables[name])
            digest = hashlib.sha256(data).hexdigest()
            target = tables_dir / f"{digest}.json"
            if not target.exists():
                atomic_write(target, data, self.modes, sync_dir=False)
            hashes[name] = digest
        fsync_dir(tables_dir)
        tables = dict(sorted(hashes.items()))
        manifest = {"schema": SCHEMA, "generation": self.generation + 1, "tables": tables}
        atomic_write(self.manifest_path, json.dumps(manifest, indent=1).encode(), self.modes)
        self.generation += 1
        self.hashes = hashes
        self.schema = SCHEMA
        self._loaded = dict(self.tables)
        self.stamp = self.current_stamp()
        self._collect(tables_dir)
        return changed

    def _collect(self, tables_dir: Path) -> None:
        """Delete segments no longer named by ``store.json`` and temp files of killed writers."""
        keep = {f"{h}.json" for h in self.hashes.values()}
        for entry in os.scandir(tables_dir):
            if entry.name not in keep:
                Path(entry.path).unlink(missing_ok=True)
        remove_stale_temps(self.root)
