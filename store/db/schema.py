"""The on-disk layout of a store, its schema version, and the migrations between versions.

A store is a directory::

    <store>/store.json          the root document (the only file ever replaced in place)
    <store>/tables/<sha256>.json one immutable TinyDB table each, named by the SHA-256 of its bytes
    <store>/blobs/ab/abcd...    original .mobileprovision / .ipa bytes, named by their SHA-256
    <store>/.lock               the flock target serialising writers

``store.json`` keys: ``schema`` (int, this module's ``SCHEMA``), ``generation`` (int, +1
per commit), ``tables`` (table name -> SHA-256 of its segment file). Committing writes
the changed segments first, then replaces ``store.json`` in one rename, so a reader
sees the old set of tables or the new one, never a mix, and a change to one table
rewrites only that table (an assignment change does not rewrite 5,000 profiles).

Tables (each a TinyDB table ``{"doc_id": document}``; documents are
``store.model.to_json`` of the model class, so their keys are the dataclass fields):

- ``profiles.0`` ... ``profiles.f`` (16 shards by the first hex digit of SHA-256 of the
  UUID, so one import rewrites a sixteenth of them): :class:`~store.model.Profile` —
  ``uuid``, ``name``, ``app_id_name``, ``app_id``, ``team_id``, ``team_name``, ``platforms``,
  ``created``, ``expires``, ``type``,
  ``device_count``, ``devices``, ``entitlements``, ``certificates`` (``common_name``,
  ``team_id``, ``serial``, ``sha1``, ``sha256``, ``not_before``, ``not_after``, ``kind``),
  ``signature``, ``trust``, ``file_sha256`` (the blob), ``file_name``, ``display_name``,
  ``description``, ``imported_by``, ``imported_at``.
- ``apps.0`` ... ``apps.f`` (sharded by bundle ID likewise): :class:`~store.model.App` —
  ``bundle_id``, ``name``, ``version``, ``build``,
  ``min_os``, ``signing_certificate``, ``entitlements``, ``embedded_profile`` (a profile
  object), ``nested``, ``file_sha256`` (the .ipa blob, empty when added by hand),
  ``added_by``, ``added_at``, ``needs_resign``.
- ``groups``: admin-made :class:`~store.model.Group` — ``name``, ``kind``, ``description``
  (the built-ins All users / All devices are never stored; they always exist).
- ``assignments.0`` ... ``assignments.f`` (sharded by ``target_kind:target``): ``target_kind``
  (``profile``|``app``), ``target`` (UUID or bundle ID), ``include``, ``exclude`` (sorted group names).
- ``anchors``: added :class:`~store.model.TrustAnchor` — ``label``, ``sha256``, ``pem``,
  ``demo`` (Apple Root CA is built in, never stored).
- ``settings``: one document, ``critical_days``, ``warning_days``, ``identity_path`` (the signing
  identity file the console re-signs with: a path, never the key).
- ``audit-000000``, ``audit-000001``, ...: :class:`~store.model.AuditEvent` — ``at``,
  ``actor``, ``client``, ``action``, ``subject`` (``profile:UUID``, ``app:BUNDLE``,
  ``group:NAME``, ``anchor:SHA256``, ``settings``), ``before``, ``after``; chunks of
  ``AUDIT_CHUNK`` events so appending rewrites only the newest chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store.errors import StoreError

SCHEMA = 1
MANIFEST = "store.json"
TABLES_DIR = "tables"
BLOBS_DIR = "blobs"
AUDIT_PREFIX = "audit-"
AUDIT_CHUNK = 200

Tables = dict[str, dict[str, Any]]
Migration = Callable[[Tables], Tables]

# MIGRATIONS[n] turns the tables of schema n into those of schema n + 1. Schema 1 is the
# first released layout, so the table is empty; the next layout change adds MIGRATIONS[1].
MIGRATIONS: dict[int, Migration] = {}


def audit_table(index: int) -> str:
    """The name of the ``index``-th audit chunk (zero-padded so names sort in order)."""
    return f"{AUDIT_PREFIX}{index:06d}"


def audit_tables(names: Any) -> list[str]:
    """The audit chunk names among ``names``, oldest first."""
    return sorted(n for n in names if n.startswith(AUDIT_PREFIX))


def empty_manifest() -> dict[str, Any]:
    """The root document of a new store."""
    return {"schema": SCHEMA, "generation": 0, "tables": {}}


def check_manifest(manifest: Any, where: str) -> dict[str, Any]:
    """Validate the root document: a wrong shape is ``store-corrupt``, a newer one ``schema-too-new``."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise StoreError("store-corrupt", f"{where} is not a provdesk store document")
    schema = manifest.get("schema")
    if not isinstance(schema, int) or schema < 0:
        raise StoreError("store-corrupt", f"{where} has no valid schema version")
    if schema > SCHEMA:
        raise StoreError(
            "schema-too-new",
            f"{where} has schema {schema}; this provdesk reads up to {SCHEMA}: upgrade provdesk",
        )
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in manifest["tables"].items()):
        raise StoreError("store-corrupt", f"{where} lists tables wrongly")
    return manifest


def migrate(tables: Tables, from_schema: int, migrations: dict[int, Migration] | None = None) -> Tables:
    """Apply every migration from ``from_schema`` up to :data:`SCHEMA`, in order.

    A missing step is ``store-corrupt`` (no silent guess about an unknown layout).
    """
    steps = MIGRATIONS if migrations is None else migrations
    version = from_schema
    while version < SCHEMA:
        step = steps.get(version)
        if step is None:
            raise StoreError("store-corrupt", f"no migration from schema {version} to {version + 1}")
        tables = step(tables)
        version += 1
    return tables
