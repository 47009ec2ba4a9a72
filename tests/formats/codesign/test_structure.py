"""The Mach-O/superblob/CodeDirectory reader on the real fixture binaries, and on damaged bytes.

The cdhashes are the research note's (section 14), computed there with openssl over the
blobs cut out by an independent throwaway parser.
"""

from __future__ import annotations

import random
import struct
import zipfile

import pytest

from store.errors import ParseError
from store.formats.codesign.structure import MH_EXECUTE, parse_code_directory, parse_macho
from tests.formats.oracle import REAL


def _binary(ipa: str, member: str) -> bytes:
    """One member of a real fixture app."""
    return zipfile.ZipFile(REAL / "apps" / ipa).read(member)


DEMO = _binary("app_info__embedded.ipa", "Payload/Demo.app/Demo")
APPEX = _binary("app_info__embedded.ipa", "Payload/Demo.app/PlugIns/Notification.appex/Notification")
IPHONE = _binary("app_info__iphone.ipa", "Payload/AppInfoDemo.app/AppInfoDemo")
FASTLANE = _binary(
    "fastlane__fastlane_core__very-capable-app.ipa", "Payload/very-capable-app.app/very-capable-app"
)


@pytest.mark.parametrize(
    ("binary", "cdhashes"),
    [
        (DEMO, [["c53eb946d413d3f2da67d683b48486156d1ac17a"]]),
        (APPEX, [["e47d36116d7c441f9d49d5bae8ce9c2319740d03"]]),
        (
            IPHONE,
            [
                ["2293ed02b14bbc620c2e61103f6a3641d02466c7", "f7c37fa377cb663ae826cece88157bab6d31cf6e"],
                ["cf64668d5bfd67f98422d0f922a450471188762a", "4f4551f63049b6a3fdd6ca533ac794e0ed4be2f0"],
            ],
        ),
    ],
    ids=["demo", "appex", "iphone"],
)
def test_cdhashes_of_every_slice_and_code_directory(binary: bytes, cdhashes: list[list[str]]) -> None:
    """Every slice, every CD (alternates included), hashed as section 14 lists them."""
    macho = parse_macho(binary)
    found = [[cd.cdhash.hex() for cd in s.superblob.code_directories] for s in macho.slices if s.superblob]
    assert found == cdhashes


def test_fields_of_a_fat_sha1_plus_sha256_signature() -> None:
    """The 2016 layout: fat32, SHA-1 CD in slot 0, SHA-256 at 0x1000, version 0x20200, a team."""
    macho = parse_macho(IPHONE)
    assert macho.fat == 32 and len(macho.slices) == 2
    for piece in macho.slices:
        assert piece.filetype == MH_EXECUTE and piece.signature is not None and piece.superblob is not None
        sha1, sha256 = piece.superblob.code_directories
        assert (sha1.hash_name, sha1.hash_size) == ("sha1", 20)
        assert (sha256.hash_name, sha256.hash_size) == ("sha256", 32)
        assert sha1.version == sha256.version == 0x20200
        assert sha1.identifier == "com.icyleaf.AppInfoDemo" and sha1.team_id == "5PJA6N5A3B"
        assert sha1.code_limit == piece.signature.dataoff
        linkedit = piece.segment("__LINKEDIT")
        assert linkedit is not None and linkedit.fileoff + linkedit.filesize == piece.size


def test_special_slots_and_exec_segment_of_a_2021_signature() -> None:
    """Seven special slots (DER entitlements), execSeg MAIN_BINARY; the slot-5 hash is the blob's."""
    (piece,) = parse_macho(DEMO).slices
    assert piece.superblob is not None
    (cd,) = piece.superblob.code_directories
    assert (cd.version, cd.n_special, cd.exec_seg_flags) == (0x20400, 7, 0x1)
    entitlements = piece.superblob.blob(5)
    assert entitlements is not None and cd.special_hash(5) == cd.digest(entitlements)
    assert cd.special_hash(4) is None and cd.special_hash(8) is None


def test_a_self_signed_signature_has_no_team() -> None:
    """fastlane's fixture: two CDs, version 0x20400, execSeg 0x11 and no team ID."""
    (piece,) = parse_macho(FASTLANE).slices
    assert piece.superblob is not None
    assert [(cd.team_id, cd.exec_seg_flags) for cd in piece.superblob.code_directories] == [(None, 0x11)] * 2


def test_a_code_directory_with_a_wrong_slot_count_is_refused() -> None:
    """nCodeSlots must match the code limit (Security's checkIntegrity)."""
    (piece,) = parse_macho(DEMO).slices
    assert piece.superblob is not None
    raw = bytearray(piece.superblob.code_directories[0].raw)
    struct.pack_into(">I", raw, 0x1C, struct.unpack_from(">I", raw, 0x1C)[0] + 1)
    with pytest.raises(ParseError) as caught:
        parse_code_directory(bytes(raw))
    assert caught.value.code == "unreadable-executable"


@pytest.mark.parametrize("binary", [DEMO, IPHONE, FASTLANE], ids=["demo", "iphone", "fastlane"])
def test_damaged_binaries_raise_only_parse_error(binary: bytes) -> None:
    """Truncations and random overwrites (of headers and of the signature) give ParseError or a result."""
    rng = random.Random(11)
    first = parse_macho(binary).slices[0]
    assert first.signature is not None
    hot = [0, 8, first.offset + first.signature.dataoff]
    for _ in range(600):
        data = bytearray(binary)
        for _ in range(rng.randint(1, 6)):
            at = rng.choice(hot) + rng.randrange(400)
            data[at % len(data)] = rng.randrange(256)
        cut = rng.choice([len(data), rng.randrange(len(data))])
        try:
            macho = parse_macho(bytes(data[:cut]))
            for piece in macho.slices:
                if piece.superblob is not None:
                    _ = [cd.cdhash for cd in piece.superblob.code_directories]
        except ParseError as error:
            assert error.code == "unreadable-executable"


@pytest.mark.parametrize("binary", [DEMO, IPHONE, FASTLANE], ids=["demo", "iphone", "fastlane"])
def test_the_verifier_reports_damage_and_never_raises(binary: bytes) -> None:
    """Mutated signatures (CDs, CMS, blobs) come back as problems; no exception escapes verify_macho."""
    from store.formats.codesign.binary import verify_macho

    rng = random.Random(12)
    first = parse_macho(binary).slices[0]
    assert first.signature is not None
    start, size = first.offset + first.signature.dataoff, first.signature.datasize
    for _ in range(150):
        data = bytearray(binary)
        for _ in range(rng.randint(1, 4)):
            data[start + rng.randrange(min(size, 12_000))] = rng.randrange(256)
        report = verify_macho(bytes(data), {1: b"x", 3: b"y"})
        assert report.problems


def test_damaged_der_entitlements_alone_are_a_parse_error() -> None:
    """A binary with only DER entitlements, one of them not UTF-8: ParseError, and a problem when verified."""
    from store.formats.codesign.binary import verify_macho
    from store.formats.macho import read_code_signature

    (piece,) = parse_macho(DEMO).slices
    assert piece.superblob is not None and piece.signature is not None
    blobs = {b.slot: b for b in piece.superblob.blobs}
    data = bytearray(DEMO)
    xml = piece.signature.dataoff + blobs[5].offset
    data[xml : xml + 4] = b"\xfa\xde\x71\x70"  # the XML blob no longer is one
    der = piece.signature.dataoff + blobs[7].offset
    key = data.index(b"\x0c", der + 8 + 4)  # the first UTF8String tag in the DER dictionary
    data[key + 2] = 0xFF
    with pytest.raises(ParseError) as caught:
        read_code_signature(bytes(data))
    assert caught.value.code == "unreadable-executable"
    assert any(code == "signature-damaged" for code, _ in verify_macho(bytes(data), None).problems)
