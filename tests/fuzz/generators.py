"""Inputs the regression corpus builds rather than derives from a fixture.

A binary plist may refer to one object from many places; plistlib shares the object, so
the file stays tiny while the tree it describes doubles with every level: a billion
laughs in ``bplist00`` form. :func:`shared_reference_bplist` writes one by hand (plistlib
itself never shares containers): a bare profile whose entitlements are such a tree.
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
    """``{"Entitlements": {"keychain-access-groups": A1}}`` where each array lists the next ``width`` times.

    Objects: the top dict, the entitlements dict, arrays A1..A``levels`` (the last lists a
    string), then the two keys and the string: ``levels + 5`` objects, ``width ** levels``
    paths, and entitlements ``levels + 1`` deep.
    """
    if not 1 <= levels <= 200 or not 1 <= width <= 14:
        raise ValueError("levels in 1..200 and width in 1..14")
    first_key, second_key, leaf = levels + 2, levels + 3, levels + 4  # object numbers
    objects = [bytes([0xD1, first_key, 1]), bytes([0xD1, second_key, 2])]  # dicts of one pair each
    for level in range(levels):
        child = level + 3 if level + 1 < levels else leaf
        objects.append(bytes([0xA0 | width]) + bytes([child]) * width)
    objects += [b"\x5c" + b"Entitlements", b"\x5f\x10\x16" + b"keychain-access-groups", b"\x51" + b"x"]
    return _object_table(objects, 0)


GENERATORS: dict[str, Callable[..., bytes]] = {"shared_reference_bplist": shared_reference_bplist}
