"""A thin walk over BER/DER for the hot path of profile reading, with asn1crypto for the hard parts.

asn1crypto's typed classes build an object per node and cost about 250 µs per profile,
half the budget of reading and verifying one. The SignedData envelope has a fixed shape,
so ``cms.py`` walks it here: a definite-length header (one tag byte, short or long length)
is decoded inline, because that is two integer operations; anything else (indefinite
lengths from BER encoders, multi-byte tags) goes to ``asn1crypto.parser``, the BER decoder
asn1crypto itself uses. Leaves (OIDs, names, times) go through asn1crypto's typed classes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

from asn1crypto import core, parser

UNIVERSAL, CONTEXT = 0, 2
INTEGER, OCTET_STRING, OID, SEQUENCE, SET = 2, 4, 6, 16, 17
UTC_TIME, GENERALIZED_TIME = 23, 24
_MAX_DEPTH = 16
_ber_parse = parser._parse


class Node(NamedTuple):
    """One decoded value: class, constructed bit, tag, and its raw pieces."""

    cls: int
    constructed: int
    tag: int
    header: bytes
    contents: bytes
    trailer: bytes

    @property
    def encoded(self) -> bytes:
        """The value's bytes as they appear in the file (header, contents, end-of-contents)."""
        return self.header + self.contents + self.trailer

    def is_(self, cls: int, tag: int) -> bool:
        """Whether this node has the given class and tag."""
        return self.cls == cls and self.tag == tag


_new = tuple.__new__  # builds a Node without namedtuple's Python-level __new__ (hot path)


def read(data: bytes, pointer: int, size: int) -> tuple[Node, int]:
    """The value starting at ``pointer`` and where the next one starts."""
    if pointer + 2 <= size:
        first = data[pointer]
        length = data[pointer + 1]
        if first & 31 != 31 and length != 0x80:
            start = pointer + 2
            if length & 0x80:
                count = length & 0x7F
                if count > 4:
                    raise ValueError("length field too long")
                length = int.from_bytes(data[start : start + count], "big")
                start += count
            end = start + length
            if end > size:
                raise ValueError("value runs past the end of the data")
            parts = (first >> 6, (first >> 5) & 1, first & 31, data[pointer:start], data[start:end], b"")
            return _new(Node, parts), end
    info, end = _ber_parse(data, size, pointer)
    return _new(Node, info), end


def whole(data: bytes) -> Node:
    """The single value ``data`` holds; trailing bytes (a hiding place for decoys) are an error."""
    node, end = read(data, 0, len(data))
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the end of the structure")
    return node


def children(node: Node) -> list[Node]:
    """The values inside a constructed node, in order."""
    if not node.constructed:
        raise ValueError("expected a constructed value")
    data = node.contents
    size = len(data)
    items: list[Node] = []
    append = items.append
    pointer = 0
    while pointer < size:
        # The definite-length case of :func:`read`, inlined (short and long lengths): the hot path.
        if pointer + 2 <= size:
            first = data[pointer]
            length = data[pointer + 1]
            if first & 31 != 31 and length != 0x80:
                start = pointer + 2
                if length & 0x80:
                    count = length & 0x7F
                    if count > 4:
                        raise ValueError("length field too long")
                    length = int.from_bytes(data[start : start + count], "big")
                    start += count
                end = start + length
                if end > size:
                    raise ValueError("value runs past the end of the data")
                parts = (first >> 6, (first >> 5) & 1, first & 31, data[pointer:start], data[start:end], b"")
                append(_new(Node, parts))
                pointer = end
                continue
        item, pointer = read(data, pointer, size)
        append(item)
    return items


def expect(node: Node, cls: int, tag: int, what: str) -> Node:
    """``node`` if it has the class and tag the structure requires; else ``ValueError`` naming ``what``."""
    if node.cls != cls or node.tag != tag:
        raise ValueError(f"{what} has the wrong type")
    return node


def octets(node: Node, depth: int = 0) -> bytes:
    """An OCTET STRING's bytes; BER may split it into a constructed string of chunks."""
    if not node.constructed:
        return node.contents
    if depth > _MAX_DEPTH:
        raise ValueError("octet string nested too deeply")
    return b"".join(octets(expect(c, UNIVERSAL, OCTET_STRING, "chunk"), depth + 1) for c in children(node))


def integer(node: Node) -> int:
    """A signed INTEGER."""
    expect(node, UNIVERSAL, INTEGER, "integer")
    return int.from_bytes(node.contents, "big", signed=True)


@lru_cache(maxsize=512)
def dotted(encoded: bytes) -> str:
    """An encoded OID (header and contents) as a dotted string, through asn1crypto.

    Cached: a profile repeats a dozen OIDs. ``ValueError`` when it is not an OID.
    """
    return str(core.ObjectIdentifier.load(encoded).dotted)


def oid(node: Node) -> str:
    """An OBJECT IDENTIFIER in dotted form."""
    expect(node, UNIVERSAL, OID, "object identifier")
    return dotted(node.header + node.contents)


def time(node: Node) -> datetime:
    """UTCTime or GeneralizedTime as aware UTC; the common ``...Z`` forms inline, others via asn1crypto."""
    text = node.contents
    if node.tag == UTC_TIME and len(text) == 13 and text[12:] == b"Z" and text[:12].isdigit():
        year = int(text[0:2])
        return datetime(
            year + (2000 if year < 50 else 1900), int(text[2:4]), int(text[4:6]),
            int(text[6:8]), int(text[8:10]), int(text[10:12]), tzinfo=UTC,
        )
    if node.tag == GENERALIZED_TIME and len(text) == 15 and text[14:] == b"Z" and text[:14].isdigit():
        return datetime(
            int(text[0:4]), int(text[4:6]), int(text[6:8]),
            int(text[8:10]), int(text[10:12]), int(text[12:14]), tzinfo=UTC,
        )
    kind = core.UTCTime if node.tag == UTC_TIME else core.GeneralizedTime
    moment: datetime = kind.load(node.encoded).native
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
