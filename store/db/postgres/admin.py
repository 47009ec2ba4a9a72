"""``provdesk init`` for a PostgreSQL store: apply the schema's migrations.

Only ``init`` changes the schema (it is what a DBA or the store's owner runs; the admins'
role needs no DDL rights): it applies every migration from the database's version up to
this code's, in one transaction, under a lock, so two ``init`` runs cannot interleave.
"""

from __future__ import annotations

import psycopg

from store.db.location import describe
from store.db.postgres import sql
from store.db.postgres.connect import classify, connect
from store.errors import StoreError


def migrate(url: str) -> int:
    """Bring the database at ``url`` to :data:`sql.SCHEMA`; returns the version it had (0: empty)."""
    conn = connect(url)
    try:
        with conn.transaction():
            exists = conn.execute(sql.SCHEMA_EXISTS).fetchone()
            version = 0
            if exists and exists[0]:
                conn.execute(sql.LOCK_SCHEMA)
                row = conn.execute(sql.SCHEMA_VERSION).fetchone()
                version = int(str(row[0])) if row else 0
            if version > sql.SCHEMA:
                raise StoreError("schema-too-new", f"{describe(url)} has schema {version}; this provdesk "
                                 f"knows up to {sql.SCHEMA}: upgrade provdesk")
            for step in range(version, sql.SCHEMA):
                conn.execute(sql.MIGRATIONS[step])  # type: ignore[arg-type]
            conn.execute(sql.SET_SCHEMA_VERSION, (sql.SCHEMA,))
    except psycopg.Error as exc:
        raise classify(exc, url) from None
    finally:
        conn.close()
    return version
