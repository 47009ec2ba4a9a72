"""Entitlements in their DER form (code-signature slot 7), read where a binary lacks the XML ones.

Since iOS 15 the signature carries the entitlements twice: as an XML plist (slot 5) and
as DER (slot 7), and the system reads the DER one. The XML copy is preferred when present;
this decoder serves binaries that ship only DER. The encoding is a dictionary as a SET
(or ``[16]``) of ``SEQUENCE { UTF8String key, value }`` inside an optional
``[APPLICATION 16] { INTEGER version, dict }`` wrapper; values are BOOLEAN, INTEGER,
UTF8String, SEQUENCE (array) or a nested dictionary. The schema is Apple's own, with no
ASN.1 module to compile, so values are parsed by asn1crypto as whatever their tags say
and the shape is checked here.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import core

_UNIVERSAL, _APPLICATION, _CONTEXT = 0, 1, 2
_BOOLEAN, _INTEGER, _UTF8, _SEQUENCE, _SET = 1, 2, 12, 16, 17
_DICT_TAG = 16
_MAX_DEPTH = 32
_MAX_VALUES = 20_000  # real entitlements hold under a hundred values
_MAX_BYTES = 256 * 1024  # real DER entitlements are a few KB; asn1crypto splits a container's
# children in one go, so the size, not the value count, bounds the work of one step


class _Values(core.SequenceOf):  # type: ignore[misc]
    """The values inside any constructed value, each parsed by its own tag."""

    _child_spec = core.Any


class _Budget:
    """How many more values may be read: one blob's work is bounded by its size, not its shape."""

    def __init__(self) -> None:
        self.left = _MAX_VALUES

    def children(self, value: Any) -> list[Any]:
        """The parsed values inside ``value``; ``ValueError`` when it is primitive or over budget."""
        if value.method != 1:
            raise ValueError("expected a constructed value")
        items = []
        for item in _Values(contents=value.contents):
            self.left -= 1
            if self.left < 0:
                raise ValueError("the entitlements hold too many values")
            items.append(item.parse())
        return items


def _is(value: Any, cls: int, tag: int) -> bool:
    """Whether ``value`` has this class and tag."""
    return bool(value.class_ == cls and value.tag == tag)


def _is_dict(value: Any) -> bool:
    """A dictionary: universal SET, or the context-specific ``[16]`` newer signers use."""
    return bool(value.method == 1 and (_is(value, _UNIVERSAL, _SET) or _is(value, _CONTEXT, _DICT_TAG)))


def _value(value: Any, depth: int, budget: _Budget) -> Any:
    """One entitlement value."""
    if depth > _MAX_DEPTH:
        raise ValueError("entitlements nested too deeply")
    if _is(value, _UNIVERSAL, _BOOLEAN):
        return bool(value.native)
    if _is(value, _UNIVERSAL, _INTEGER):
        return int(value.native)
    if _is(value, _UNIVERSAL, _UTF8):
        return str(value.native)
    if _is_dict(value):
        return _dict(value, depth + 1, budget)
    if _is(value, _UNIVERSAL, _SEQUENCE):
        return [_value(child, depth + 1, budget) for child in budget.children(value)]
    raise ValueError(f"unexpected entitlement value (class {value.class_}, tag {value.tag})")


def _dict(value: Any, depth: int, budget: _Budget) -> dict[str, Any]:
    """A dictionary of ``SEQUENCE { key, value }`` pairs."""
    result: dict[str, Any] = {}
    for pair in budget.children(value):
        if not _is(pair, _UNIVERSAL, _SEQUENCE):
            raise ValueError("an entitlement is not a key-value pair")
        parts = budget.children(pair)
        if len(parts) != 2 or not _is(parts[0], _UNIVERSAL, _UTF8):
            raise ValueError("an entitlement key is not a string")
        result[str(parts[0].native)] = _value(parts[1], depth, budget)
    return result


def read_der_entitlements(data: bytes) -> dict[str, Any]:
    """The entitlements dictionary of a DER entitlements blob; ``ValueError`` when it is not one."""
    if len(data) > _MAX_BYTES:
        raise ValueError(f"DER entitlements over {_MAX_BYTES // 1024} KiB")
    budget = _Budget()
    try:
        top = core.load(data, strict=True)
        if _is(top, _APPLICATION, _DICT_TAG):
            parts = budget.children(top)
            if len(parts) != 2 or not _is(parts[0], _UNIVERSAL, _INTEGER):
                raise ValueError("unexpected DER entitlements wrapper")
            top = parts[1]
        if not _is_dict(top):
            raise ValueError("DER entitlements are not a dictionary")
        return _dict(top, 0, budget)
    except ValueError:
        raise
    except Exception as exc:  # asn1crypto's lazy parse fails with any type on damaged bytes
        raise ValueError(f"DER entitlements cannot be read: {type(exc).__name__}") from None
