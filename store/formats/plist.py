"""Property lists as Apple writes them: XML with or without the ``<?xml`` header, or binary.

plistlib reads both formats. Its format sniffing misses XML that starts with
``<!DOCTYPE`` or a stray byte, and its failures come as half a dozen exception types;
this module picks the format itself and turns every failure into one
``ParseError('malformed-plist')``.

A binary plist may refer to one object from many places, and plistlib shares it: a
2 KB file can describe a tree of a trillion nodes (a billion laughs in ``bplist00``
form), and anything that walks the value as a tree, a nesting check or JSON output,
would never finish. So the shape of a binary plist's value is measured over its
distinct objects (each measured once), and a value whose tree is larger than the file
itself (a tree without shared containers never is: every reference costs a byte) or
that contains itself is refused.
"""

from __future__ import annotations

import plistlib
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

from store.errors import ParseError

PlistFormat = Literal["binary", "xml"]
MAX_NESTING = 32  # real entitlements nest two or three levels; JSON output and the store recurse
_XML_STARTS = (b"<?xml", b"<!DOCTYPE", b"<plist")
_LEADING_JUNK = bytes(range(0x21))
_CONTAINERS = (dict, list)


class Shape(NamedTuple):
    """How deep a value nests and how many nodes its tree has once shared objects are written out."""

    depth: int
    nodes: int


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


def _children(item: Any) -> Any:
    """The values directly inside a container."""
    return item.values() if isinstance(item, dict) else item


def shape(value: Any) -> Shape:
    """Depth and tree size of ``value``, with each distinct container visited once.

    Iterative (no recursion limit); the work is linear in the distinct objects and their
    references however often they are shared. A value that contains itself is ``malformed-plist``.
    """
    done: dict[int, Shape] = {}
    open_: set[int] = set()  # containers entered and not yet finished: the current path
    pending: list[tuple[Any, bool]] = [(value, False)] if isinstance(value, _CONTAINERS) else []
    while pending:
        item, finished = pending.pop()
        key = id(item)
        if not finished:
            if key in done:
                continue
            if key in open_:
                raise ParseError("malformed-plist", "the plist contains itself (a reference loop)")
            open_.add(key)
            pending.append((item, True))
            pending.extend((child, False) for child in _children(item) if isinstance(child, _CONTAINERS))
            continue
        open_.discard(key)
        depth, nodes = 0, 1
        for child in _children(item):
            if isinstance(child, _CONTAINERS):
                inner = done[id(child)]
                depth = max(depth, inner.depth + 1)
                nodes += inner.nodes
            else:
                depth = depth or 1
                nodes += 1
        done[key] = Shape(depth, nodes)
    return done.get(id(value), Shape(0, 1))


def nesting(value: Any) -> int:
    """How deeply lists and dictionaries nest inside ``value`` (a scalar is 0, ``{"a": 1}`` is 1)."""
    return shape(value).depth


def load_plist(data: bytes) -> dict[str, Any]:
    """A plist whose top level is a dictionary; ``ParseError('malformed-plist')`` otherwise."""
    kind = sniff(data)
    try:
        if kind == "binary":
            value = plistlib.loads(data, fmt=plistlib.FMT_BINARY)
        elif kind == "xml":
            value = plistlib.loads(_xml_body(data), fmt=plistlib.FMT_XML)
        else:
            raise ParseError("malformed-plist", "the content is neither an XML nor a binary plist")
    except ParseError:
        raise
    except Exception as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ParseError("malformed-plist", f"the plist cannot be read: {reason}") from None
    if not isinstance(value, dict):
        raise ParseError("malformed-plist", "the plist's top level is not a dictionary")
    if kind == "binary" and shape(value).nodes > len(data):  # XML cannot share: no check needed
        raise ParseError("malformed-plist", "the binary plist refers to the same objects over and over")
    return value


def utc(moment: datetime) -> datetime:
    """plistlib dates are naive UTC; make them aware (every model date is)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
