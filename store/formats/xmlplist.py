"""A fast reader for well-formed XML plists, with plistlib as the referee.

plistlib's XML reader calls back into Python for every tag and costs about 350 µs for a
typical 6 KB profile: more than the whole budget of parse plus verification. ElementTree
builds the tree in C; turning it into Python values is one short walk. Anything unusual
(entity declarations, comments, unknown tags, a key without a value) is declined with
``None`` so that plistlib, the reference, decides; the tests hold the two readers equal.
"""

from __future__ import annotations

import binascii
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any


class _Decline(Exception):
    """The fast path does not handle this document; plistlib will."""


def _date(text: str) -> datetime:
    """``YYYY-MM-DDTHH:MM:SSZ``, the form Apple writes, as plistlib's naive UTC datetime.

    plistlib accepts shorter forms too (and trips over some); those are left to it.
    """
    if len(text) != 20 or text[19] != "Z" or text[10] != "T" or text[13] != ":" or text[16] != ":":
        raise _Decline
    try:
        return datetime.fromisoformat(text[:19])
    except ValueError:
        raise _Decline from None


def _scalar(tag: str, text: str) -> Any:
    """A leaf element's value, as plistlib's ``end_<tag>`` handlers compute it."""
    if tag == "true" or tag == "false":
        if text.strip():
            raise _Decline
        return tag == "true"
    if tag == "integer":  # exactly plistlib's rule: " 0x10" is an error there, so here too
        return int(text, 16) if text.startswith(("0x", "0X")) else int(text)
    if tag == "real":
        return float(text)
    if tag == "data":
        return binascii.a2b_base64(text.encode("utf-8"))
    if tag == "date":
        return _date(text)
    raise _Decline


def _value(element: ET.Element) -> Any:
    """One plist element as the Python value plistlib would give.

    Text between elements is ignored, as plistlib ignores it (it resets its buffer at
    every opening tag); structure plistlib would reject or read oddly is declined.
    """
    tag = element.tag
    if tag == "string":
        if len(element):
            raise _Decline
        return element.text or ""
    if tag == "dict":
        children = list(element)
        if len(children) % 2:
            raise _Decline
        result: dict[str, Any] = {}
        for index in range(0, len(children), 2):
            key, value = children[index], children[index + 1]
            if key.tag != "key" or len(key):
                raise _Decline
            # Strings are most values: read them here rather than through a call.
            is_text = value.tag == "string" and not len(value)
            result[key.text or ""] = value.text or "" if is_text else _value(value)
        return result
    if tag == "array":
        return [c.text or "" if c.tag == "string" and not len(c) else _value(c) for c in element]
    if len(element):
        raise _Decline
    return _scalar(tag, element.text or "")


def fast_loads(data: bytes) -> Any | None:
    """The plist's value, or ``None`` when this fast path declines (plistlib then decides)."""
    if b"<!ENTITY" in data or b"<!--" in data:
        return None
    try:
        root = ET.fromstring(data)
        if root.tag == "plist":
            if len(root) != 1:
                return None
            root = root[0]
        return _value(root)
    except (_Decline, ET.ParseError, ValueError, binascii.Error, RecursionError):
        return None
