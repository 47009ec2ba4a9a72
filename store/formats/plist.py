"""Property lists as Apple writes them: XML with or without the ``<?xml`` header, or binary.

plistlib's format sniffing misses XML that starts with ``<!DOCTYPE`` or a stray byte, and
its failures come as half a dozen exception types; this module picks the format itself and
turns every failure into one ``ParseError('malformed-plist')``.
"""

from __future__ import annotations

import plistlib
from datetime import UTC, datetime
from typing import Any, Literal

from store.errors import ParseError
from store.formats.xmlplist import fast_loads

PlistFormat = Literal["binary", "xml"]
MAX_NESTING = 32  # real entitlements nest two or three levels; JSON output and the store recurse
_XML_STARTS = (b"<?xml", b"<!DOCTYPE", b"<plist")
_LEADING_JUNK = bytes(range(0x21))


def _xml_body(data: bytes) -> bytes:
    """XML without a BOM and the control bytes some tools leave in front."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return body.lstrip(_LEADING_JUNK)


def sniff(data: bytes) -> PlistFormat | None:
    """Which plist format ``data`` looks like, if any (cheap: looks at the first bytes)."""
    if data.startswith(b"bplist00"):
        return "binary"
    head = _xml_body(data[:512])
    if any(head.startswith(start) for start in _XML_STARTS):
        return "xml"
    return None


def load_plist(data: bytes) -> dict[str, Any]:
    """A plist whose top level is a dictionary; ``ParseError('malformed-plist')`` otherwise."""
    kind = sniff(data)
    try:
        if kind == "binary":
            value = plistlib.loads(data, fmt=plistlib.FMT_BINARY)
        elif kind == "xml":
            body = _xml_body(data)
            value = fast_loads(body)
            if value is None:
                value = plistlib.loads(body, fmt=plistlib.FMT_XML)
        else:
            raise ParseError("malformed-plist", "the content is neither an XML nor a binary plist")
    except ParseError:
        raise
    except Exception as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ParseError("malformed-plist", f"the plist cannot be read: {reason}") from None
    if not isinstance(value, dict):
        raise ParseError("malformed-plist", "the plist's top level is not a dictionary")
    return value


def utc(moment: datetime) -> datetime:
    """plistlib dates are naive UTC; make them aware (every model date is)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def nesting(value: Any) -> int:
    """How deeply lists and dictionaries nest inside ``value`` (iteratively: no recursion limit)."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            pending.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            pending.extend((v, depth + 1) for v in item)
    return deepest
