"""What ``doctor`` checks inside a store: the document, every table segment, every blob.

Each check reads without locking out writers for long and never repairs anything; an
admin reads the list and decides (restore a backup, re-import a file, fix a mode).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from store.db.blobs import BlobStore, sha256_hex
from store.db.codec import docs_of, logical
from store.db.files import modes_of
from store.db.lock import locked
from store.db.schema import MANIFEST, TABLES_DIR, check_manifest
from store.errors import StoreError
from store.model import BUILTIN_GROUPS, App, Assignment, AuditEvent, Group, Profile, TrustAnchor, from_json

KINDS: dict[str, type[Any]] = {
    "profiles": Profile, "apps": App, "groups": Group, "assignments": Assignment, "anchors": TrustAnchor,
}


def _load_tables(root: Path, problems: list[str]) -> dict[str, dict[str, Any]] | None:
    """Read store.json and every segment it names, noting each problem; ``None`` if unreadable."""
    path = root / MANIFEST
    if not path.exists():
        problems.append(f"{path} is missing: this is not a provdesk store (or its document was lost)")
        return None
    try:
        manifest = check_manifest(json.loads(path.read_bytes()), str(path))
    except (ValueError, UnicodeDecodeError) as exc:
        problems.append(f"{path} is not valid JSON ({exc})")
        return None
    except StoreError as exc:
        problems.append(exc.message)
        return None
    except OSError as exc:
        problems.append(f"cannot read {path}: {exc.strerror}")
        return None
    tables: dict[str, dict[str, Any]] = {}
    for name, digest in manifest["tables"].items():
        segment = root / TABLES_DIR / f"{digest}.json"
        try:
            raw = segment.read_bytes()
        except OSError as exc:
            problems.append(f"table {name!r}: {segment} cannot be read ({exc.strerror})")
            continue
        if hashlib.sha256(raw).hexdigest() != digest:
            problems.append(f"table {name!r}: {segment} does not match its SHA-256 (damaged)")
            continue
        try:
            tables[name] = json.loads(raw)
        except ValueError as exc:
            problems.append(f"table {name!r}: {segment} is not valid JSON ({exc})")
    return tables


def document_problems(tables: dict[str, dict[str, Any]]) -> list[str]:
    """Documents that do not decode, and assignments naming things that do not exist."""
    problems: list[str] = []
    for name, table in tables.items():
        kind = AuditEvent if name.startswith("audit-") else KINDS.get(logical(name))
        if kind is None:
            continue
        for doc_id, doc in table.items():
            try:
                from_json(kind, doc)
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                problems.append(f"table {name!r} document {doc_id} is malformed ({exc})")
    groups = set(BUILTIN_GROUPS) | {d.get("name") for d in tables.get("groups", {}).values()}
    targets = {"profile": {d.get("uuid") for d in docs_of(tables, "profiles")},
               "app": {d.get("bundle_id") for d in docs_of(tables, "apps")}}
    for doc in docs_of(tables, "assignments"):
        where = f"assignment of {doc.get('target_kind')} {doc.get('target')}"
        if doc.get("target") not in targets.get(str(doc.get("target_kind")), set()):
            problems.append(f"{where}: its target is not in the store")
        unknown = sorted((set(doc.get("include", [])) | set(doc.get("exclude", []))) - groups)
        if unknown:
            problems.append(f"{where}: unknown group(s) {', '.join(unknown)}")
    return problems


def _blob_problems(root: Path, tables: dict[str, dict[str, Any]]) -> list[str]:
    """Missing or damaged original files, and unused ones."""
    blobs = BlobStore(root, modes_of(root))
    wanted: dict[str, str] = {}
    for name, key in (("profiles", "uuid"), ("apps", "bundle_id")):
        for doc in docs_of(tables, name):
            if doc.get("file_sha256"):
                wanted[str(doc["file_sha256"])] = f"{name[:-1]} {doc.get(key)}"
    problems: list[str] = []
    present = dict(blobs.digests())
    for digest, owner in sorted(wanted.items()):
        path = present.get(digest)
        if path is None:
            problems.append(f"{owner}: original file {digest} is missing")
        elif sha256_hex(path.read_bytes()) != digest:
            problems.append(f"{owner}: original file {path} does not match its SHA-256 (damaged)")
    for digest, path in present.items():
        if digest not in wanted:
            problems.append(f"{path} is an unused original file (harmless: left by an interrupted import)")
    return problems


def content_problems(root: Path) -> list[str]:
    """Problems with the store's document, tables and blobs, read under the shared lock."""
    problems: list[str] = []
    try:
        with locked(root, modes_of(root), exclusive=False, timeout=5.0):
            tables = _load_tables(root, problems)
            if tables is not None:
                problems += document_problems(tables)
                problems += _blob_problems(root, tables)
    except StoreError as exc:
        problems.append(exc.message)
    return problems
