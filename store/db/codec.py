"""Documents to model objects and back, for the store's tables.

The documents are exactly ``store.model.to_json`` of the model classes (one JSON shape for
the store, ``--json`` and the tests); this module only adds the per-table conventions:
assignments keep sorted lists, built-in groups and anchors are never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.model import Assignment, from_json, to_json


def decode_table(kind: type[Any], table: Mapping[str, Any]) -> tuple[Any, ...]:
    """Every document of a TinyDB table as ``kind`` objects, in insertion order."""
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


def doc_key(table: str, doc: Mapping[str, Any]) -> str:
    """The natural key of a document in ``table`` (what refs resolve to)."""
    if table == "assignments":
        return assignment_key(str(doc["target_kind"]), str(doc["target"]))
    if table == "settings":
        return "settings"
    return str(doc[KEYS[table]])
