"""A fast reader for well-formed XML plists, with plistlib as the referee.

plistlib's XML reader calls back into Python for every tag and costs about 350 µs for a
typical 6 KB profile: more than the whole budget of parse plus verification. ElementTree
builds the tree in C; turning it into Python values is one short walk. Anything unusual
(entity declarations, comments, unknown tags, a key without a value) is declined with
``None`` so that plistlib, the reference, decides; the tests hold the two readers equal.

Building the ElementTree still costs about 65 µs for a profile with a hundred devices, so
documents in the exact shape plistlib and Apple write (the Apple header, only the plist
tags, no entities, CDATA, comments, attributes or carriage returns) are first read by
:func:`scan_loads`: one regular expression splits the document into tags in C, an array
of plain strings (the device list) is one token, and a short loop builds the values.
Anything outside that shape declines to the ElementTree path.
"""

from __future__ import annotations

import binascii
import re
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


# Bytes a scanned document may hold without a closer look: no markup plistlib would treat
# specially (``&`` entities, ``]]>``), no control characters XML forbids or ``\r`` (XML turns
# line ends into ``\n``), and no ``\xef`` (the lead byte of U+FFFE/U+FFFF, which XML forbids).
_PLAIN_BYTES = bytes(b for b in range(256) if (b >= 0x20 and b not in b"&]\xef") or b in (9, 10))
_RARE_BYTES = frozenset(b"]\xef")
_HEAD = re.compile(
    r'(?:<\?xml version="1\.0" encoding="UTF-8"\?>)?[ \t\n]*'
    r'(?:<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1\.0//EN" '
    r'"http://www\.apple\.com/DTDs/PropertyList-1\.0\.dtd">)?[ \t\n]*<plist(?: version="1\.0")?>'
)
# One token per match: a dictionary's key and its value are one token when they can be; the
# last group catches any other character so nothing is skipped.
_TOKENS = re.compile(
    r"[ \t\n]*(?:(<key>)([^<]*)</key>[ \t\n]*)?"
    r"(?:<array>((?:[ \t\n]*+<string>[^<]*+</string>)*+)[ \t\n]*</array>"
    r"|<(?P<tag>key|string|integer|real|date|data)>([^<]*)</(?P=tag)>|<(dict|array)>|</(dict|array)>"
    r"|<(true|false|dict|array|string|key|data)/>)|([^ \t\n])"
)
_STRING = re.compile(r"<string>([^<]*)</string>")
_EMPTY: dict[str, Any] = {"true": True, "false": False, "string": "", "key": "", "data": b""}


def _plain(data: bytes) -> bool:
    """Whether ``data`` has nothing that XML would read differently from its raw text."""
    odd = data.translate(None, _PLAIN_BYTES)
    if not odd:
        return True
    if not set(odd) <= _RARE_BYTES:
        return False
    return b"]]>" not in data and b"\xef\xbf\xbe" not in data and b"\xef\xbf\xbf" not in data


def _string_array(body: str) -> list[str]:
    """The texts of ``<string>..</string>`` items (as the token matched them, whitespace between).

    Items are split at the first gap's exact ``</string>WS<string>`` in one call; only if
    the gaps differ (then fewer parts than items come out) are they found one by one.
    """
    first_end = body.find("</string>")
    if first_end < 0:
        return []
    start = body.index("<string>") + 8
    following = body.find("<string>", first_end)
    if following < 0:
        return [body[start:first_end]]
    parts = body[start:-9].split(body[first_end : following + 8])
    if 2 * len(parts) == body.count("<"):  # every item has two '<' (texts have none): all split
        return parts
    return _STRING.findall(body)


def _scan(text: str, start: int, end: int) -> Any:
    """Build the value from the tokens between ``<plist>`` and ``</plist>``; ``_Decline`` when odd."""
    stack: list[Any] = []
    keys: list[str | None] = []
    key: str | None = None
    for has_key, key_text, strings, tag, body, opener, closer, empty, other in _TOKENS.findall(
        text, start, end
    ):
        if other or (not keys and stack):
            raise _Decline
        if has_key:
            if key is not None or not stack or type(stack[-1]) is not dict:
                raise _Decline
            key = key_text
        value: Any
        if tag:
            if tag == "key":
                if key is not None or not stack or type(stack[-1]) is not dict:
                    raise _Decline
                key = body
                continue
            value = body if tag == "string" else _scalar(tag, body)
        elif opener:
            stack.append({} if opener == "dict" else [])
            keys.append(key)
            key = None
            continue
        elif closer:
            if not stack or key is not None:
                raise _Decline
            value = stack.pop()
            if (closer == "dict") is not (type(value) is dict):
                raise _Decline
            key = keys.pop()
        elif empty == "key":
            if key is not None or not stack or type(stack[-1]) is not dict:
                raise _Decline
            key = ""
            continue
        elif empty:
            value = {} if empty == "dict" else [] if empty == "array" else _EMPTY[empty]
        else:
            value = _string_array(strings)
        if not stack:
            stack.append(value)  # the root: any further token is declined by the check above
        elif key is not None:
            stack[-1][key] = value
            key = None
        elif type(stack[-1]) is list:
            stack[-1].append(value)
        else:
            raise _Decline
    if len(stack) != 1 or keys:
        raise _Decline
    return stack[0]


def scan_loads(data: bytes) -> Any | None:
    """A plist in Apple's exact shape read without building a tree; ``None`` (decline) otherwise."""
    if not _plain(data):
        return None
    try:
        text = data.decode("utf-8")
        head = _HEAD.match(text)
        tail = text.rfind("</plist>")
        if head is None or tail < head.end() or text[tail + 8 :].strip(" \t\n"):
            return None
        return _scan(text, head.end(), tail)
    except (_Decline, ValueError, binascii.Error):
        return None


def fast_loads(data: bytes) -> Any | None:
    """The plist's value, or ``None`` when this fast path declines (plistlib then decides)."""
    scanned = scan_loads(data)
    if scanned is not None:
        return scanned
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
