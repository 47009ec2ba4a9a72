"""The several-hosts engine: the store's tables in PostgreSQL, changes announced by LISTEN/NOTIFY.

A transaction takes the one ``store_state`` row ``FOR UPDATE`` (so writers from every host
apply one after the other, as ``flock`` orders them on one host), reloads what changed,
lets the caller edit through a :class:`~store.db.postgres.journal.JournalTx`, and writes
the touched rows, the audit events and a ``NOTIFY`` in the same database transaction.
Reads run in a read-only REPEATABLE READ transaction, so a refresh never sees half a
commit. ``has_changed`` only looks at notifications already on the socket: no query.

A dropped connection (a server restart) is re-established on the next call, with a notice
for the admin; a write whose connection dropped is reported as committed or not, never
guessed: a COMMIT that may have landed is checked against the ``commits`` table.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import psycopg

from store.db.location import describe
from store.db.postgres import journal, sql
from store.db.postgres.blobs import PgBlobs
from store.db.postgres.connect import classify, connect
from store.db.postgres.journal import JournalTx
from store.db.postgres.tables import PgTables
from store.db.tx import Tx
from store.errors import StoreError

T = TypeVar("T")
Connection = psycopg.Connection[Any]


def check_schema(conn: Connection, url: str) -> None:
    """Refuse a database without the provdesk schema, or with one this code does not know."""
    where = describe(url)
    row = conn.execute(sql.SCHEMA_EXISTS).fetchone()
    if not row or not row[0]:
        raise StoreError("store-missing", f"no provdesk store in {where} (run `provdesk init --store URL`)")
    version_row = conn.execute(sql.SCHEMA_VERSION).fetchone()
    version = int(version_row[0]) if version_row else 0
    if version > sql.SCHEMA:
        raise StoreError("schema-too-new", f"{where} has schema {version}; this provdesk reads up to "
                         f"{sql.SCHEMA}: upgrade provdesk")
    if version < sql.SCHEMA:
        raise StoreError("schema-too-old", f"{where} has schema {version}; run `provdesk init --store URL` "
                         f"to migrate it to {sql.SCHEMA}")


class PgEngine:
    """One PostgreSQL store, opened by one process over one connection."""

    def __init__(self, url: str, conn: Connection) -> None:
        self.url = url
        self.location = describe(url)
        self.conn: Connection | None = conn
        self.storage = PgTables()
        self.blobs = PgBlobs(_weak_cursor(self), self.location)
        self.needs_commit = False
        self._lock = threading.RLock()
        self._tx_cursor: psycopg.Cursor[Any] | None = None
        self._changed = False
        self._notices: list[str] = []
        self._held = [conn]  # closed when the engine is collected: a forgotten Store leaks no connection
        weakref.finalize(self, _close_all, self._held)
        row = conn.execute(sql.CAN_WRITE).fetchone()
        self._read_only = not (row and row[0])
        conn.execute(sql.LISTEN)

    @classmethod
    def connect(cls, url: str) -> PgEngine:
        """Connect, check the schema, and load the tables."""
        conn = connect(url)
        try:
            check_schema(conn, url)
            engine = cls(url, conn)
        except psycopg.Error as exc:
            conn.close()
            raise classify(exc, url) from None
        except BaseException:
            conn.close()
            raise
        engine.refresh(force=True)
        return engine

    @property
    def read_only(self) -> bool:
        """The database role may read but not update the store."""
        return self._read_only

    # -- the connection -------------------------------------------------------------------------
    def _connection(self) -> Connection:
        """The live connection, re-established (with a notice) when the last one dropped."""
        if self.conn is not None and not self.conn.broken and not self.conn.closed:
            return self.conn
        lost = self.conn is not None
        _close_all(self._held)
        self.conn = connect(self.url)
        self._held.append(self.conn)
        self.conn.execute(sql.LISTEN)
        if lost:
            self._notices.append(f"the connection to the store at {self.location} was lost; reconnected")
            self._changed = True
        return self.conn

    def _cursor(self) -> psycopg.Cursor[Any]:
        """The current transaction's cursor, or a fresh one (blob reads and writes use it)."""
        if self._tx_cursor is not None:
            return self._tx_cursor
        return self._connection().cursor()

    def _read(self, work: Callable[[psycopg.Cursor[Any]], T]) -> T:
        """Run ``work`` in a read-only snapshot, reconnecting once if the connection had dropped."""
        with self._lock:
            for attempt in (1, 2):
                try:
                    conn = self._connection()
                    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                    conn.read_only = True
                    with conn.transaction():
                        return work(conn.cursor())
                except psycopg.OperationalError as exc:
                    if attempt == 2 or self.conn is None or not self.conn.broken:
                        raise classify(exc, self.url) from None
                except psycopg.Error as exc:
                    raise classify(exc, self.url) from None
            raise AssertionError("unreachable")

    # -- reading --------------------------------------------------------------------------------
    def refresh(self, *, force: bool = False) -> None:
        """Reload what other hosts committed (only the tables that moved)."""
        if self._tx_cursor is not None or (not force and not self.has_changed()):
            return  # inside a write transaction the tables were loaded under the lock
        self._changed = False
        self._read(lambda cur: self.storage.load(cur, force=force))

    def has_changed(self) -> bool:
        """Whether a NOTIFY from another commit (or a dropped connection) arrived: no query is sent."""
        if self._changed:
            return True
        if not self._lock.acquire(blocking=False):
            return False  # a call is using the connection; it picks notifications up for the next poll
        try:
            conn = self.conn
            if conn is None or conn.broken or conn.closed:
                self._changed = True
            else:
                while batch := list(conn.notifies(timeout=0)):  # one socket read per call: drain them all
                    for notice in batch:
                        if not notice.payload.isdigit() or int(notice.payload) > self.storage.generation:
                            self._changed = True
        except psycopg.Error:
            self._changed = True
        finally:
            self._lock.release()
        return self._changed

    # -- writing --------------------------------------------------------------------------------
    @contextmanager
    def transaction(self, now: datetime, actor: str, client: str) -> Iterator[Tx]:
        """Lock the store row, reload, let the caller edit, write it all in one database transaction."""
        with self._lock:
            tx: JournalTx | None = None
            result: tuple[dict[str, int], int, int] | None = None
            try:
                conn = self._connection()
                conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
                conn.read_only = False
                with conn.transaction():
                    cur = conn.cursor()
                    cur.execute(sql.LOCK_STATE)
                    self.storage.load(cur)
                    self.storage.begin()
                    tx = JournalTx(self.storage, now, actor, client)
                    self._tx_cursor = cur
                    yield tx
                    tx.flush_audit()
                    result = journal.write(cur, tx)
            except psycopg.Error as exc:
                self._tx_cursor = None
                if result is None or not isinstance(exc, psycopg.OperationalError) or tx is None:
                    self._abandon()
                    raise self._write_error(exc) from None
                if not self._landed(tx):  # the connection dropped during COMMIT: did it land?
                    self._abandon()
                    raise StoreError("write-not-committed", f"the connection to {self.location} dropped "
                                     "during the commit, which did not land: nothing was written; "
                                     "try again") from None
                self._notices.append(f"the connection to {self.location} dropped during the commit; "
                                     "the change was committed whole")
            except BaseException:
                self._tx_cursor = None
                self._abandon()
                raise
            self._tx_cursor = None
            assert result is not None
            self.storage.settle(*result)

    def _abandon(self) -> None:
        """Forget a failed transaction's edits and re-read what they touched (when the server answers)."""
        self.storage.forget()
        self._changed = True

    def _landed(self, tx: JournalTx) -> bool:
        """After a connection dropped during COMMIT: whether that commit is in the database."""
        try:
            row = self._read(lambda cur: cur.execute(sql.COMMITTED, (tx.id,)).fetchone())
            return bool(row and row[0])
        except StoreError:
            raise StoreError("write-unknown", f"the connection to {self.location} dropped during the "
                             "commit and the server cannot be reached to tell whether it landed; check "
                             "`provdesk log` once it is back") from None

    def _write_error(self, exc: psycopg.Error) -> StoreError:
        """What a failed write tells the admin (nothing of it was written)."""
        error = classify(exc, self.url)
        if error.code == "store-read-only":
            return StoreError("store-read-only", f"this database role may only read {self.location}")
        if isinstance(exc, psycopg.OperationalError):
            return StoreError("write-not-committed", f"the connection to {self.location} dropped before the "
                              "change was committed: nothing was written; try again")
        return StoreError("store-write-failed", f"{self.location} refused the change, so nothing was written "
                          f"({str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__})")

    def take_notices(self) -> list[str]:
        """Reconnects and commits confirmed after a drop, once each."""
        notices, self._notices = self._notices, []
        return notices

    def close(self) -> None:
        """Close the connection."""
        _close_all(self._held)


def _weak_cursor(engine: PgEngine) -> Callable[[], psycopg.Cursor[Any]]:
    """``engine._cursor`` without a reference to the engine.

    A bound method would make the engine and its blobs a cycle, and a cycle is freed only by
    the collector: a verb that opened a 5,000-profile store then spent 50 ms scanning it at exit.
    """
    method = weakref.WeakMethod(engine._cursor)

    def cursor() -> psycopg.Cursor[Any]:
        bound = method()
        if bound is None:
            raise StoreError("store-closed", "the store was closed")
        return bound()

    return cursor


def _close_all(connections: list[Connection]) -> None:
    """Close and forget every connection in ``connections`` (one that already dropped included)."""
    while connections:
        connections.pop().close()
