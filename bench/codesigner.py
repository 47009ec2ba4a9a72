"""A test code signer: the simplest real re-signing, for the Apps bench and the tampering tests.

It re-seals a bundle (a new ``CodeResources`` with the added or changed files hashed),
writes the new seal's hash into the main executable's CodeDirectory special slot (and,
if asked, a new team ID of the same length), and signs the slot-0 CD with a test
identity: a detached CMS made by ``store.demo.signing`` under a test root made with
cryptography. Code pages are kept (nothing below codeLimit changes), the superblob is
rebuilt in the signature space the binary already has. No 9.1/9.2 attributes are
written, so it signs binaries with a single CodeDirectory only. This is not the
product's re-signer (``provdesk resign``); it exists so a verifier test can make a
validly signed variant of a real app.
"""

from __future__ import annotations

import hashlib
import plistlib
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization

from store.demo.pki import Issued, make_intermediate, make_leaf, make_root
from store.demo.signing import sign_cms
from store.formats.codesign.structure import BLOB_WRAPPER, SLOT_CD, SLOT_CMS, SUPERBLOB, parse_macho
from store.formats.trust import anchor_from_pem
from store.model import TrustAnchor

SIGNED_AT = datetime(2024, 6, 1, tzinfo=UTC)
_HASH_KEYS = {"sha1": "hash", "sha256": "hash2"}


@dataclass(frozen=True)
class TestIdentity:
    """A signing certificate with its key, its intermediate, and the root to trust as an anchor."""

    leaf: Issued
    intermediate: Issued
    root: Issued

    @property
    def anchor(self) -> TrustAnchor:
        """The root as a store anchor, so the chain verifies."""
        return anchor_from_pem(self.root.cert.public_bytes(serialization.Encoding.PEM), "codesign test root")


def make_identity(team: str, seed: str = "codesign-test") -> TestIdentity:
    """An "iPhone Distribution" identity of ``team`` under a test root (EC keys: fast, seeded)."""
    root = make_root("Codesign Test Root", key_type="ec", seed=f"{seed}-root")
    intermediate = make_intermediate(root, "Codesign Test WWDR", key_type="ec", seed=f"{seed}-wwdr")
    leaf = make_leaf(
        intermediate,
        f"iPhone Distribution: Test ({team})",
        team,
        key_type="ec",
        seed=f"{seed}-{team}",
        not_before=datetime(2020, 1, 1, tzinfo=UTC),
        not_after=datetime(2030, 1, 1, tzinfo=UTC),
    )
    return TestIdentity(leaf, intermediate, root)


def _superblob(blobs: list[tuple[int, bytes]], space: int) -> bytes:
    """A superblob of ``(slot, blob)`` in that order, zero-padded to the signature space."""
    header = 12 + 8 * len(blobs)
    index, body, offset = b"", b"", header
    for slot, blob in blobs:
        index += struct.pack(">II", slot, offset)
        body += blob
        offset += len(blob)
    data = struct.pack(">III", SUPERBLOB, offset, len(blobs)) + index + body
    if len(data) > space:
        raise ValueError(f"the new signature ({len(data)} bytes) does not fit in {space}")
    return data + b"\x00" * (space - len(data))


def resign(
    binary: bytes, identity: TestIdentity, special: Mapping[int, bytes], team: str | None = None
) -> bytes:
    """``binary`` (every slice) with special slots re-hashed, the team replaced, and a new CMS."""
    out = bytearray(binary)
    for piece in parse_macho(binary).slices:
        assert piece.superblob is not None and piece.signature is not None
        (cd,) = piece.superblob.code_directories
        raw = bytearray(cd.raw)
        for slot, component in special.items():
            at = cd.hash_offset - slot * cd.hash_size
            raw[at : at + cd.hash_size] = cd.digest(component)
        if team is not None:
            assert cd.team_id is not None and len(team) == len(cd.team_id)
            raw[cd.team_offset : cd.team_offset + len(team)] = team.encode()
        cms = sign_cms(
            bytes(raw),
            identity.leaf,
            [identity.intermediate.cert, identity.root.cert],
            detached=True,
            signing_time=SIGNED_AT,
        )
        wrapper = struct.pack(">II", BLOB_WRAPPER, 8 + len(cms)) + cms
        blobs = [
            (SLOT_CD, bytes(raw))
            if b.slot == SLOT_CD
            else (SLOT_CMS, wrapper)
            if b.slot == SLOT_CMS
            else (b.slot, b.data)
            for b in piece.superblob.blobs
        ]
        start = piece.offset + piece.signature.dataoff
        out[start : start + piece.signature.datasize] = _superblob(blobs, piece.signature.datasize)
    return bytes(out)


def reseal(seal: bytes, files: Mapping[str, bytes], hash_names: tuple[str, ...] = ("sha256",)) -> bytes:
    """A bundle's CodeResources with ``files`` (paths relative to the bundle) sealed anew in files2."""
    plist = plistlib.loads(seal)
    for path, data in files.items():
        plist["files2"][path] = {_HASH_KEYS[h]: hashlib.new(h, data).digest() for h in hash_names}
    return plistlib.dumps(plist, fmt=plistlib.FMT_XML)
