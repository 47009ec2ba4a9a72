"""Encoded ASN.1 split into its elements by asn1crypto's own parser, where typing is waste.

asn1crypto types every element it is asked for (a class per field, each element built
lazily); for the hot reads of every profile and app (a certificate's extensions and
subject, a CMS's signed attributes and certificate choices, DER entitlements) that cost
more than the signature check itself, for elements nobody reads. These helpers hand back
raw encodings instead. Nothing here reads a tag or a length itself: ``asn1crypto.parser``
does, with its own bounds checks, and any damage surfaces as its ``ValueError``.
"""

from __future__ import annotations

from asn1crypto import parser

UNIVERSAL = 0
PRIMITIVE, CONSTRUCTED = 0, 1
OBJECT_IDENTIFIER, SEQUENCE, SET = 6, 16, 17


def elements(contents: bytes, limit: int) -> list[bytes]:
    """The encoding of each element in a constructed value's ``contents`` (more than ``limit`` is refused)."""
    found: list[bytes] = []
    while contents:
        if len(found) >= limit:
            raise ValueError("too many values in one constructed value")
        size = parser.peek(contents)
        found.append(contents[:size])
        contents = contents[size:]
    return found


def parts(encoded: bytes) -> tuple[int, int, int, bytes]:
    """``(class, method, tag, contents)`` of one encoded element; trailing bytes are refused."""
    class_, method, tag, _header, contents, _trailer = parser.parse(encoded, strict=True)
    return class_, method, tag, contents


def children(encoded: bytes, tag: int, limit: int) -> list[bytes]:
    """The elements of a universal constructed value that must carry ``tag`` (SEQUENCE or SET)."""
    class_, method, found, contents = parts(encoded)
    if (class_, method, found) != (UNIVERSAL, CONSTRUCTED, tag):
        raise ValueError(f"expected a universal constructed tag {tag}, found class {class_} tag {found}")
    return elements(contents, limit)


def object_identifier(encoded: bytes) -> bytes:
    """The contents of an encoded OBJECT IDENTIFIER (what ``certfields.dotted`` names)."""
    class_, method, tag, contents = parts(encoded)
    if (class_, method, tag) != (UNIVERSAL, PRIMITIVE, OBJECT_IDENTIFIER):
        raise ValueError("expected an OBJECT IDENTIFIER")
    return contents
