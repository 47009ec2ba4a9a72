"""Entitlements in their DER form (code-signature slot 7), read where a binary lacks the XML ones.

Since iOS 15 the signature carries the entitlements twice: as an XML plist (slot 5) and
as DER (slot 7), and the system reads the DER one. The XML copy is preferred when present;
this decoder serves binaries that ship only DER. The encoding is a dictionary as a SET
(or ``[16]``) of ``SEQUENCE { UTF8String key, value }`` inside an optional
``[APPLICATION 16] { INTEGER version, dict }`` wrapper; values are BOOLEAN, INTEGER,
UTF8String, SEQUENCE (array) or a nested dictionary.
"""

from __future__ import annotations

from typing import Any

from store.formats.der import CONTEXT, INTEGER, SEQUENCE, SET, UNIVERSAL, Node, children, integer, whole

_APPLICATION = 1
_BOOLEAN, _UTF8 = 1, 12
_DICT_TAG = 16
_MAX_DEPTH = 32


def _is_dict(node: Node) -> bool:
    """A dictionary: universal SET, or the context-specific ``[16]`` newer signers use."""
    return node.constructed == 1 and (node.is_(UNIVERSAL, SET) or node.is_(CONTEXT, _DICT_TAG))


def _value(node: Node, depth: int) -> Any:
    """One entitlement value."""
    if depth > _MAX_DEPTH:
        raise ValueError("entitlements nested too deeply")
    if node.is_(UNIVERSAL, _BOOLEAN):
        return node.contents != b"\x00"
    if node.is_(UNIVERSAL, INTEGER):
        return integer(node)
    if node.is_(UNIVERSAL, _UTF8):
        return node.contents.decode("utf-8")
    if _is_dict(node):
        return _dict(node, depth + 1)
    if node.is_(UNIVERSAL, SEQUENCE):
        return [_value(child, depth + 1) for child in children(node)]
    raise ValueError(f"unexpected entitlement value (class {node.cls}, tag {node.tag})")


def _dict(node: Node, depth: int) -> dict[str, Any]:
    """A dictionary of ``SEQUENCE { key, value }`` pairs."""
    result: dict[str, Any] = {}
    for pair in children(node):
        if not pair.is_(UNIVERSAL, SEQUENCE):
            raise ValueError("an entitlement is not a key-value pair")
        parts = children(pair)
        if len(parts) != 2 or not parts[0].is_(UNIVERSAL, _UTF8):
            raise ValueError("an entitlement key is not a string")
        result[parts[0].contents.decode("utf-8")] = _value(parts[1], depth)
    return result


def read_der_entitlements(data: bytes) -> dict[str, Any]:
    """The entitlements dictionary of a DER entitlements blob; ``ValueError`` when it is not one."""
    top = whole(data)
    if top.is_(_APPLICATION, _DICT_TAG):
        parts = children(top)
        if len(parts) != 2:
            raise ValueError("unexpected DER entitlements wrapper")
        integer(parts[0])
        top = parts[1]
    if not _is_dict(top):
        raise ValueError("DER entitlements are not a dictionary")
    return _dict(top, 0)
