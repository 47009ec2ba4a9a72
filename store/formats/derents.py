"""Entitlements in their DER form (code-signature slot 7), read where a binary lacks the XML ones.

Since iOS 15 the signature carries the entitlements twice: as an XML plist (slot 5) and
as DER (slot 7), and the system reads the DER one. The XML copy is preferred when present;
this decoder serves binaries that ship only DER. The encoding is a dictionary as a SET
(or ``[16]``) of ``SEQUENCE { UTF8String key, value }`` inside an optional
``[APPLICATION 16] { INTEGER version, dict }`` wrapper; values are BOOLEAN, INTEGER,
UTF8String, SEQUENCE (array) or a nested dictionary. The schema is Apple's own, with no
ASN.1 module to compile, so containers are split by asn1crypto's parser
(:mod:`store.formats.asn1parts`), each leaf is loaded as asn1crypto's type for its tag,
and the shape is checked here.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import core

from store.formats.asn1parts import CONSTRUCTED, PRIMITIVE, SEQUENCE, SET, UNIVERSAL, elements, parts

_APPLICATION, _CONTEXT = 1, 2
_BOOLEAN, _INTEGER, _UTF8 = 1, 2, 12
_DICT_TAG = 16
_MAX_DEPTH = 32
_MAX_VALUES = 20_000  # real entitlements hold under a hundred values
_MAX_BYTES = 256 * 1024  # real DER entitlements are a few KB; the size bounds the work too
_LEAVES = {_BOOLEAN: core.Boolean, _INTEGER: core.Integer, _UTF8: core.UTF8String}


class _Budget:
    """How many more values may be read: one blob's work is bounded by its size, not its shape."""

    def __init__(self) -> None:
        self.left = _MAX_VALUES

    def children(self, method: int, contents: bytes) -> list[tuple[int, int, int, bytes, bytes]]:
        """``(class, method, tag, contents, encoding)`` of each value inside a constructed one."""
        if method != CONSTRUCTED:
            raise ValueError("expected a constructed value")
        found = []
        for encoded in elements(contents, self.left):
            found.append((*parts(encoded), encoded))
        self.left -= len(found)
        return found


def _is_dict(class_: int, method: int, tag: int) -> bool:
    """A dictionary: universal SET, or the context-specific ``[16]`` newer signers use."""
    return method == CONSTRUCTED and (class_, tag) in ((UNIVERSAL, SET), (_CONTEXT, _DICT_TAG))


def _value(item: tuple[int, int, int, bytes, bytes], depth: int, budget: _Budget) -> Any:
    """One entitlement value."""
    class_, method, tag, contents, encoded = item
    if depth > _MAX_DEPTH:
        raise ValueError("entitlements nested too deeply")
    if class_ == UNIVERSAL and tag in _LEAVES:
        return _LEAVES[tag].load(encoded, strict=True).native
    if _is_dict(class_, method, tag):
        return _dict(method, contents, depth + 1, budget)
    if (class_, tag) == (UNIVERSAL, SEQUENCE):
        return [_value(child, depth + 1, budget) for child in budget.children(method, contents)]
    raise ValueError(f"unexpected entitlement value (class {class_}, tag {tag})")


def _dict(method: int, contents: bytes, depth: int, budget: _Budget) -> dict[str, Any]:
    """A dictionary of ``SEQUENCE { key, value }`` pairs."""
    result: dict[str, Any] = {}
    for class_, pair_method, tag, pair, _encoded in budget.children(method, contents):
        if (class_, tag) != (UNIVERSAL, SEQUENCE):
            raise ValueError("an entitlement is not a key-value pair")
        pieces = budget.children(pair_method, pair)
        if len(pieces) != 2 or pieces[0][:3] != (UNIVERSAL, PRIMITIVE, _UTF8):
            raise ValueError("an entitlement key is not a string")
        result[str(core.UTF8String.load(pieces[0][4], strict=True).native)] = _value(pieces[1], depth, budget)
    return result


def read_der_entitlements(data: bytes) -> dict[str, Any]:
    """The entitlements dictionary of a DER entitlements blob; ``ValueError`` when it is not one."""
    if len(data) > _MAX_BYTES:
        raise ValueError(f"DER entitlements over {_MAX_BYTES // 1024} KiB")
    budget = _Budget()
    try:
        class_, method, tag, contents = parts(data)
        if (class_, tag) == (_APPLICATION, _DICT_TAG):
            wrapped = budget.children(method, contents)
            if len(wrapped) != 2 or wrapped[0][:3] != (UNIVERSAL, PRIMITIVE, _INTEGER):
                raise ValueError("unexpected DER entitlements wrapper")
            class_, method, tag, contents, _encoded = wrapped[1]
        if not _is_dict(class_, method, tag):
            raise ValueError("DER entitlements are not a dictionary")
        return _dict(method, contents, 0, budget)
    except ValueError:
        raise
    except Exception as exc:  # asn1crypto may fail with any type on damaged bytes
        raise ValueError(f"DER entitlements cannot be read: {type(exc).__name__}") from None
