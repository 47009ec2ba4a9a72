"""Seeded mutations of real files, as splices a corpus entry can store and replay exactly.

The mutations are those that found the crashes issue 11 describes: 1 to 8 bytes changed,
bytes inserted, deleted or duplicated, a length field overwritten with a value that
is off by one, zero, or huge (in 1, 2, 4 or 8 bytes, either byte order: DER, zip and
Mach-O all keep lengths), and truncation. Positions favour the first 4 KB and the last
16 KB, where the structure lives (headers, load commands, a zip's central directory, the
CMS signer info); a quarter land anywhere.
"""

from __future__ import annotations

import random
import struct

from tests.fuzz.corpus import Splice, apply

_INTERESTING = (0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF)
# DER length forms: indefinite, long forms claiming far more than is there, an overlong count
_DER_LENGTHS = (b"\x80", b"\x81\xff", b"\x82\xff\xff", b"\x84\xff\xff\xff\xff", b"\x89" + b"\xff" * 9)


def _position(size: int, rng: random.Random) -> int:
    """Where to mutate: the head, the tail, or anywhere."""
    if size <= 1:
        return 0
    roll = rng.random()
    if roll < 0.375:
        return rng.randrange(min(4096, size))
    if roll < 0.75:
        return rng.randrange(max(0, size - 16_384), size)
    return rng.randrange(size)


def _length(data: bytearray, at: int, rng: random.Random) -> Splice:
    """Overwrite what may be a length: a DER length form, or an integer near or far from the old one."""
    if rng.random() < 0.3:
        form = rng.choice(_DER_LENGTHS)
        return at, 1, form
    width = rng.choice((1, 2, 4, 8))
    order = rng.choice("<>")
    fmt = order + {1: "B", 2: "H", 4: "I", 8: "Q"}[width]
    old = data[at : at + width].ljust(width, b"\x00")
    value = struct.unpack(fmt, old)[0] + rng.choice((-1, 1, -8, 8)) if rng.random() < 0.5 else rng.choice(
        _INTERESTING
    )
    return at, width, struct.pack(fmt, value % (1 << (8 * width)))


def _one(data: bytearray, rng: random.Random) -> list[Splice]:
    """One mutation of ``data`` (a byte change may be several one-byte splices)."""
    size = len(data)
    at = _position(size, rng)
    kind = rng.choice(("bytes", "bytes", "insert", "delete", "duplicate", "length", "length", "truncate"))
    if kind == "bytes" or size == 0:
        spots = {min(size - 1, max(0, at + rng.randint(-32, 32))) for _ in range(rng.randint(1, 8))}
        if not size:
            return [(0, 0, bytes([rng.randrange(256)]))]
        return [(spot, 1, bytes([rng.randrange(256)])) for spot in sorted(spots)]
    if kind == "insert":
        return [(at, 0, bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))))]
    if kind == "delete":
        return [(at, rng.randint(1, 64), b"")]
    if kind == "duplicate":
        start = _position(size, rng)
        return [(at, 0, bytes(data[start : start + rng.randint(1, 256)]))]
    if kind == "length":
        return [_length(data, at, rng)]
    return [(at, size - at, b"")]


def mutate(data: bytes, rng: random.Random) -> tuple[Splice, ...]:
    """One to four stacked mutations of ``data``, as splices :func:`corpus.apply` replays in order."""
    current = bytearray(data)
    splices: list[Splice] = []
    for _ in range(rng.randint(1, 4)):
        for splice in _one(current, rng):
            splices.append(splice)
            current = bytearray(apply(bytes(current), (splice,)))
    return tuple(splices)
