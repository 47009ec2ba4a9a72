"""Walks over offsets into one buffer, for definite-length DER: SignedData and certificates.

``cms._parse`` builds a node per value and copies each container's bytes as it descends
(the 10 KB envelope several times over). This walk mirrors it step for step but keeps
containers as offsets into the one buffer and builds nodes only for the leaves it decodes
(with ``der.py``'s own decoders). It handles only definite lengths with one-byte tags and
primitive strings; anything else (BER's indefinite lengths, chunked strings, any shape
the mirror does not follow) raises, and the caller runs ``cms._parse``, which decides.
Every container it enters has all its children's headers checked, as ``children`` does,
so it never accepts what the node walk would refuse; the tests hold the two equal.
``certfields.certificate_fields_at`` uses the same primitives for certificates.
"""

from __future__ import annotations

from store.formats.der import Node, integer, oid

_CONSTRUCTED = 0x20
SEQUENCE, SET, OCTETS, CONTEXT_0 = 0x10, 0x11, 0x04, 0x80
_new = tuple.__new__

Span = tuple[int, int, int, int]  # first byte, header start, contents start, end


class Decline(Exception):
    """The walk does not follow this encoding; the node walk decides."""


def spans(data: bytes, span: Span) -> list[Span]:
    """The children of a constructed value: ``der.children`` without copying their bytes."""
    first, _, pointer, size = span
    if not first & _CONSTRUCTED:
        raise Decline
    items: list[Span] = []
    append = items.append
    while pointer < size:
        if pointer + 2 > size:
            raise Decline
        head = data[pointer]
        length = data[pointer + 1]
        if head & 31 == 31 or length == 0x80:
            raise Decline
        start = pointer + 2
        if length & 0x80:
            count = length & 0x7F
            if count > 4:
                raise Decline
            length = int.from_bytes(data[start : start + count], "big")
            start += count
        end = start + length
        if end > size:
            raise Decline
        append((head, pointer, start, end))
        pointer = end
    return items


def want(span: Span, kind: int) -> Span:
    """``span`` if its class and tag (constructed bit aside) are ``kind``, as ``der.expect`` checks."""
    if span[0] & 0xDF != kind:
        raise Decline
    return span


def node(data: bytes, span: Span) -> Node:
    """A leaf as the node ``der.children`` would have built (for ``der``'s decoders)."""
    first, header, start, end = span
    parts = (first >> 6, (first >> 5) & 1, first & 31, data[header:start], data[start:end], b"")
    result: Node = _new(Node, parts)
    return result


def primitive_octets(data: bytes, span: Span) -> bytes:
    """An OCTET STRING in one piece; BER's chunked form is left to the node walk."""
    if want(span, OCTETS)[0] & _CONSTRUCTED:
        raise Decline
    return data[span[2] : span[3]]


def leaf_oid(data: bytes, span: Span) -> str:
    """The OID ``span`` holds (``der.oid`` on its node)."""
    return oid(node(data, span))


def leaf_integer(data: bytes, span: Span) -> int:
    """The INTEGER ``span`` holds (``der.integer`` on its node)."""
    return integer(node(data, span))
