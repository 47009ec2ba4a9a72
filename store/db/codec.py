"""Documents to model objects and back, for the store's tables.

The documents are exactly ``store.model.to_json`` of the model classes (one JSON shape for
the store, ``--json`` and the tests); this module only adds the per-table conventions:
assignments keep sorted lists, built-in groups and anchors are never stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from store.model import Assignment, from_json, to_json


def decode_table(kind: type[Any], table: Mapping[str, Any]) -> tuple[Any, ...]:
    """Every document of a TinyDB table as ``kind`` objects, in insertion order.

    Profiles, certificates, apps and assignments (the bulk of a big store) go through
    :mod:`store.db.fast`, which gives the same objects as ``from_json`` several times faster;
    the rest use the codec.
    """
    from store.db.fast import decoder

    decode = decoder(kind)
    if decode is not None:
        return tuple(decode(doc) for doc in table.values())
    return tuple(from_json(kind, doc) for doc in table.values())


def encode(value: Any) -> dict[str, Any]:
    """A model object as a store document."""
    doc = to_json(value)
    assert isinstance(doc, dict)
    return doc


def assignment_key(target_kind: str, target: str) -> str:
    """The natural key of an assignment document: ``profile:UUID`` or ``app:BUNDLE``."""
    return f"{target_kind}:{target}"


def assignment_doc(assignment: Assignment) -> dict[str, Any]:
    """An assignment as its document (group sets as sorted lists)."""
    return encode(assignment)


KEYS: dict[str, str] = {
    "profiles": "uuid",
    "apps": "bundle_id",
    "groups": "name",
    "anchors": "sha256",
}


# Big tables are split into 16 shards by the first hex digit of SHA-256(key), so importing
# one profile rewrites (and makes other processes re-read) a sixteenth of them.
SHARDED = frozenset({"profiles", "apps", "assignments"})
SHARD_DIGITS = "0123456789abcdef"


def shard(name: str, key: str) -> str:
    """The physical table holding ``key`` of logical table ``name`` (itself when not sharded)."""
    if name not in SHARDED:
        return name
    return f"{name}.{hashlib.sha256(key.encode()).hexdigest()[0]}"


def shards(name: str) -> list[str]:
    """Every physical table of logical table ``name``."""
    return [f"{name}.{d}" for d in SHARD_DIGITS] if name in SHARDED else [name]


def logical(name: str) -> str:
    """The logical table a physical one belongs to (``profiles.a`` -> ``profiles``)."""
    return name.split(".", 1)[0]


def docs_of(tables: Mapping[str, Mapping[str, Any]], name: str) -> Iterator[dict[str, Any]]:
    """Every document of logical table ``name``, across its shards."""
    for physical in shards(name):
        yield from tables.get(physical, {}).values()


def doc_key(table: str, doc: Mapping[str, Any]) -> str:
    """The natural key of a document in ``table`` (what refs resolve to)."""
    table = logical(table)
    if table == "assignments":
        return assignment_key(str(doc["target_kind"]), str(doc["target"]))
    if table == "settings":
        return "settings"
    return str(doc[KEYS[table]])
