"""A fast reader for well-formed XML plists, with plistlib as the referee.

plistlib's XML reader calls back into Python for every tag and costs about 350 µs for a
typical 6 KB profile: more than the whole budget of parse plus verification. ElementTree
builds the tree in C; turning it into Python values is one short walk. Anything unusual
(entity declarations, comments, unknown tags, a key without a value) is declined with
``None`` so that plistlib, the reference, decides; the tests hold the two readers equal.
"""

from __future__ import annotations

import binascii
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

_DATE = re.compile(r"(\d\d\d\d)(?:-(\d\d)(?:-(\d\d)(?:T(\d\d)(?::(\d\d)(?::(\d\d))?)?)?)?)?Z", re.ASCII)


class _Decline(Exception):
    """The fast path does not handle this document; plistlib will."""


def _date(text: str) -> datetime:
    """plistlib's ISO-8601 subset (``YYYY[-MM[-DD[THH[:MM[:SS]]]]]Z``), as a naive UTC datetime."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise _Decline
    year, month, day, hour, minute, second = (
        int(p) if p else d for p, d in zip(match.groups(), (0, 1, 1, 0, 0, 0), strict=True)
    )
    return datetime(year, month, day, hour, minute, second)


def _scalar(tag: str, text: str) -> Any:
    """A leaf element's value, as plistlib's ``end_<tag>`` handlers compute it."""
    if tag == "true" or tag == "false":
        if text.strip():
            raise _Decline
        return tag == "true"
    if tag == "integer":
        stripped = text.strip()
        return int(stripped, 16) if stripped[:2] in ("0x", "0X") else int(stripped)
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
            key = children[index]
            if key.tag != "key" or len(key):
                raise _Decline
            result[key.text or ""] = _value(children[index + 1])
        return result
    if tag == "array":
        return [_value(child) for child in element]
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
