"""Inputs the regression corpus builds rather than derives from a fixture.

A binary plist may refer to one object from many places; plistlib shares the object, so
the file stays tiny while the tree it describes doubles with every level: a billion
laughs in ``bplist00`` form. :func:`shared_reference_bplist` writes one by hand (plistlib
itself never writes shared references), as a bare profile or as an entitlements dict.
"""

from __future__ import annotations

import struct
from collections.abc import Callable


def _object_table(objects: list[bytes], top: int) -> bytes:
    """A ``bplist00`` file around already-encoded objects (1-byte references, 2-byte offsets)."""
    body = bytearray(b"bplist00")
    offsets = []
    for encoded in objects:
        offsets.append(len(body))
        body += encoded
    table_at = len(body)
    for offset in offsets:
        body += struct.pack(">H", offset)
    body += struct.pack(">6xBBQQQ", 2, 1, len(objects), top, table_at)
    return bytes(body)


def shared_reference_bplist(levels: int = 40, width: int = 2) -> bytes:
    """A dict whose values are arrays of ``width`` references to the next level, ``levels`` deep.

    Object 0 is the top dict ``{"Entitlements": <level 0>}``, objects 1..levels are arrays
    each listing the next one ``width`` times, and the last array lists a string. There are
    ``levels + 3`` objects and ``width ** levels`` paths.
    """
    if not 1 <= levels <= 200 or not 1 <= width <= 14:
        raise ValueError("levels in 1..200 and width in 1..14")
    key, leaf = levels + 1, levels + 2  # object numbers of the key string and the leaf string
    objects = [bytes([0xD1, key, 1])]  # dict of one pair: key ref, value ref
    for level in range(levels):
        child = level + 2 if level + 1 < levels else leaf
        objects.append(bytes([0xA0 | width]) + bytes([child]) * width)
    objects.append(b"\x5c" + b"Entitlements")
    objects.append(b"\x51" + b"x")
    return _object_table(objects, 0)


GENERATORS: dict[str, Callable[..., bytes]] = {"shared_reference_bplist": shared_reference_bplist}
