"""Every SQL statement of the PostgreSQL store, in one file: the schema, its migrations, reads and writes.

Each table keeps the model's JSON document (``doc``, exactly ``store.model.to_json``, the
source of truth the store decodes; ``json``, not ``jsonb``, so its keys keep their order
and a store copied there and back exports byte for byte the same) beside the columns a
DBA or a constraint needs: keys, the record ``revision``, names, dates, blob references.
A profile's certificates live in ``certificates`` (one row per certificate, shared by
every profile carrying it) and are linked in order by ``profile_certificates``.
Original files are ``blobs``: ``bytea`` content-addressed by SHA-256, checked by the
database itself.

Writers serialise on the one ``store_state`` row (``SELECT ... FOR UPDATE``), then reload
what changed (``table_versions``) and write; ``generation`` counts commits, ``commits``
remembers each commit's id so a writer that lost its connection during COMMIT can learn
whether it landed. ``NOTIFY provdesk`` tells every open console at once.
"""

from __future__ import annotations

CHANNEL = "provdesk"

# MIGRATIONS[n] takes a database at schema n to n + 1 (0: an empty database).
MIGRATIONS: dict[int, str] = {
    0: """
CREATE TABLE schema_version (
    version integer NOT NULL
);
INSERT INTO schema_version VALUES (0);

CREATE TABLE store_state (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    generation bigint NOT NULL DEFAULT 0
);
INSERT INTO store_state DEFAULT VALUES;

CREATE TABLE table_versions (
    name text PRIMARY KEY,
    version bigint NOT NULL
);

CREATE TABLE commits (
    generation bigint PRIMARY KEY,
    tx uuid NOT NULL UNIQUE,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE blobs (
    sha256 text PRIMARY KEY CHECK (sha256 = encode(sha256(content), 'hex')),
    content bytea NOT NULL
);

CREATE TABLE certificates (
    sha256 text PRIMARY KEY,
    common_name text NOT NULL,
    not_after timestamptz,
    doc json NOT NULL
);

CREATE TABLE profiles (
    uuid text PRIMARY KEY,
    seq bigserial NOT NULL,
    revision bigint NOT NULL DEFAULT 0,
    name text NOT NULL,
    expires timestamptz NOT NULL,
    file_sha256 text REFERENCES blobs,
    doc json NOT NULL
);

CREATE TABLE profile_certificates (
    profile_uuid text NOT NULL REFERENCES profiles ON DELETE CASCADE,
    position integer NOT NULL,
    certificate_sha256 text NOT NULL REFERENCES certificates,
    PRIMARY KEY (profile_uuid, position)
);
CREATE INDEX profile_certificates_certificate ON profile_certificates (certificate_sha256);

CREATE TABLE apps (
    bundle_id text PRIMARY KEY,
    seq bigserial NOT NULL,
    revision bigint NOT NULL DEFAULT 0,
    name text NOT NULL,
    file_sha256 text REFERENCES blobs,
    doc json NOT NULL
);

CREATE TABLE groups (
    name text PRIMARY KEY,
    seq bigserial NOT NULL,
    revision bigint NOT NULL DEFAULT 0,
    kind text NOT NULL CHECK (kind IN ('user', 'device')),
    doc json NOT NULL
);

CREATE TABLE assignments (
    target_kind text NOT NULL CHECK (target_kind IN ('profile', 'app')),
    target text NOT NULL,
    seq bigserial NOT NULL,
    revision bigint NOT NULL DEFAULT 0,
    include text[] NOT NULL,
    exclude text[] NOT NULL,
    doc json NOT NULL,
    PRIMARY KEY (target_kind, target)
);

CREATE TABLE trust_anchors (
    sha256 text PRIMARY KEY,
    seq bigserial NOT NULL,
    label text NOT NULL,
    doc json NOT NULL
);

CREATE TABLE settings (
    name text PRIMARY KEY,
    doc json NOT NULL
);

CREATE TABLE audit_events (
    id bigserial PRIMARY KEY,
    generation bigint NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    subject text NOT NULL,
    doc json NOT NULL
);
CREATE INDEX audit_events_subject ON audit_events (subject);
""",
}
SCHEMA = max(MIGRATIONS) + 1

SCHEMA_EXISTS = "SELECT to_regclass('schema_version') IS NOT NULL"
SCHEMA_VERSION = "SELECT version FROM schema_version"
SET_SCHEMA_VERSION = "UPDATE schema_version SET version = %s"
LOCK_SCHEMA = "LOCK TABLE schema_version IN ACCESS EXCLUSIVE MODE"
CAN_WRITE = "SELECT has_table_privilege('store_state', 'UPDATE')"

# -- reading ------------------------------------------------------------------------------------
# Each physical table comes back as one JSON text already in the in-memory layout the mixins
# read (``{"1": doc, "2": doc, ...}`` in insertion order, one row per shard; shards by the first
# hex digit of SHA-256(key), as ``store.db.codec.shard``): one parse per shard, no re-layout.
STATE = "SELECT generation FROM store_state"
VERSIONS = "SELECT name, version FROM table_versions"
CERTIFICATES = "SELECT coalesce(json_object_agg(sha256, doc), '{}')::text FROM certificates"
PROFILE_CERTIFICATES = """
SELECT coalesce(json_object_agg(profile_uuid, digests), '{}')::text FROM (
    SELECT profile_uuid, json_agg(certificate_sha256 ORDER BY position) AS digests
    FROM profile_certificates GROUP BY profile_uuid
) c
"""


def _laid_out(table: str, part: str, order: str) -> str:
    """Rows ``(physical table, its documents as one JSON object keyed by TinyDB id)``."""
    return f"""
SELECT part, json_object_agg(n, doc ORDER BY n)::text FROM (
    SELECT part, doc, row_number() OVER (PARTITION BY part ORDER BY {order}) AS n
    FROM (SELECT {part} AS part, doc, {order} FROM {table}) t
) s GROUP BY part
"""


def _sharded(name: str, key: str) -> str:
    return f"'{name}.' || left(encode(sha256(convert_to({key}, 'UTF8')), 'hex'), 1)"


TABLES = {
    "profiles": _laid_out("profiles", _sharded("profiles", "uuid"), "seq"),
    "apps": _laid_out("apps", _sharded("apps", "bundle_id"), "seq"),
    "assignments": _laid_out("assignments", _sharded("assignments", "target_kind || ':' || target"), "seq"),
    "groups": _laid_out("groups", "'groups'", "seq"),
    "anchors": _laid_out("trust_anchors", "'anchors'", "seq"),
    "settings": _laid_out("settings", "'settings'", "name"),
}
AUDIT_SINCE = "SELECT id, doc FROM audit_events WHERE id > %s ORDER BY id"
BLOB = "SELECT content FROM blobs WHERE sha256 = %s"
BLOB_EXISTS = "SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = %s)"
COMMITTED = "SELECT EXISTS (SELECT 1 FROM commits WHERE tx = %s)"

# -- writing (inside the transaction that holds store_state FOR UPDATE) -------------------------
LOCK_STATE = "SELECT generation FROM store_state FOR UPDATE"
PUT_BLOB = "INSERT INTO blobs (sha256, content) VALUES (%s, %s) ON CONFLICT (sha256) DO NOTHING"
DROP_BLOB = """
DELETE FROM blobs WHERE sha256 = %(sha)s
  AND NOT EXISTS (SELECT 1 FROM profiles WHERE file_sha256 = %(sha)s)
  AND NOT EXISTS (SELECT 1 FROM apps WHERE file_sha256 = %(sha)s)
"""
PUT_CERTIFICATE = """
INSERT INTO certificates (sha256, common_name, not_after, doc) VALUES (%s, %s, %s, %s)
ON CONFLICT (sha256) DO NOTHING
"""
UPSERT = {
    "profiles": """
INSERT INTO profiles (uuid, revision, name, expires, file_sha256, doc)
VALUES (%(key)s, %(revision)s, %(name)s, %(expires)s, %(file_sha256)s, %(doc)s)
ON CONFLICT (uuid) DO UPDATE SET revision = EXCLUDED.revision, name = EXCLUDED.name,
    expires = EXCLUDED.expires, file_sha256 = EXCLUDED.file_sha256, doc = EXCLUDED.doc
""",
    "apps": """
INSERT INTO apps (bundle_id, revision, name, file_sha256, doc)
VALUES (%(key)s, %(revision)s, %(name)s, %(file_sha256)s, %(doc)s)
ON CONFLICT (bundle_id) DO UPDATE SET revision = EXCLUDED.revision, name = EXCLUDED.name,
    file_sha256 = EXCLUDED.file_sha256, doc = EXCLUDED.doc
""",
    "groups": """
INSERT INTO groups (name, revision, kind, doc) VALUES (%(key)s, %(revision)s, %(kind)s, %(doc)s)
ON CONFLICT (name) DO UPDATE SET revision = EXCLUDED.revision, kind = EXCLUDED.kind, doc = EXCLUDED.doc
""",
    "assignments": """
INSERT INTO assignments (target_kind, target, revision, include, exclude, doc)
VALUES (%(target_kind)s, %(target)s, %(revision)s, %(include)s, %(exclude)s, %(doc)s)
ON CONFLICT (target_kind, target) DO UPDATE SET revision = EXCLUDED.revision,
    include = EXCLUDED.include, exclude = EXCLUDED.exclude, doc = EXCLUDED.doc
""",
    "anchors": """
INSERT INTO trust_anchors (sha256, label, doc) VALUES (%(key)s, %(label)s, %(doc)s)
ON CONFLICT (sha256) DO UPDATE SET label = EXCLUDED.label, doc = EXCLUDED.doc
""",
    "settings": """
INSERT INTO settings (name, doc) VALUES (%(key)s, %(doc)s)
ON CONFLICT (name) DO UPDATE SET doc = EXCLUDED.doc
""",
}
DELETE = {
    "profiles": "DELETE FROM profiles WHERE uuid = %(key)s",
    "apps": "DELETE FROM apps WHERE bundle_id = %(key)s",
    "groups": "DELETE FROM groups WHERE name = %(key)s",
    "assignments": "DELETE FROM assignments WHERE target_kind = %(target_kind)s AND target = %(target)s",
    "anchors": "DELETE FROM trust_anchors WHERE sha256 = %(key)s",
    "settings": "DELETE FROM settings WHERE name = %(key)s",
}
UNLINK_CERTIFICATES = "DELETE FROM profile_certificates WHERE profile_uuid = %s"
LINK_CERTIFICATE = (
    "INSERT INTO profile_certificates (profile_uuid, position, certificate_sha256) VALUES (%s, %s, %s)"
)
DROP_UNUSED_CERTIFICATES = """
DELETE FROM certificates c WHERE NOT EXISTS
    (SELECT 1 FROM profile_certificates pc WHERE pc.certificate_sha256 = c.sha256)
"""
AUDIT = """
INSERT INTO audit_events (generation, at, actor, action, subject, doc) VALUES (%s, %s, %s, %s, %s, %s)
"""
BUMP_VERSION = """
INSERT INTO table_versions (name, version) VALUES (%s, 1)
ON CONFLICT (name) DO UPDATE SET version = table_versions.version + 1
RETURNING version
"""
BUMP_GENERATION = "UPDATE store_state SET generation = generation + 1 RETURNING generation"
RECORD_COMMIT = "INSERT INTO commits (generation, tx) VALUES (%s, %s)"
NOTIFY = "SELECT pg_notify(%s, %s)"
LISTEN = f"LISTEN {CHANNEL}"
