"""Mach-O code signatures: signer by issuer and serial, entitlements from XML or from DER."""

from __future__ import annotations

import plistlib
import struct
import zipfile

import pytest

from store.errors import ParseError
from store.formats.derents import read_der_entitlements
from store.formats.macho import read_code_signature
from tests.formats.oracle import REAL, expected

DEMO = zipfile.ZipFile(REAL / "apps" / "app_info__embedded.ipa").read("Payload/Demo.app/Demo")
FAT = zipfile.ZipFile(REAL / "apps" / "app_info__ipad.ipa").read("Payload/bundle.app/bundle")


def _without_xml_entitlements(binary: bytes) -> bytes:
    """The binary with its XML entitlements blob's magic changed, so only the DER copy is found."""
    magic = struct.pack(">I", 0xFADE7171)
    assert binary.count(magic) == 1
    return binary.replace(magic, struct.pack(">I", 0xFADE7170))


def test_der_entitlements_equal_the_xml_ones() -> None:
    """Without the XML blob the DER blob gives the same entitlements."""
    with_xml = read_code_signature(DEMO)
    der_only = read_code_signature(_without_xml_entitlements(DEMO))
    assert with_xml.entitlements == der_only.entitlements
    assert with_xml.entitlements["application-identifier"] == "72LA85G59H.com.icyleaf.test.Demo"


def test_der_entitlements_in_the_application_wrapper() -> None:
    """The newer ``[APPLICATION 16] { version, [16] dict }`` layout decodes to the same values."""
    pair = bytes.fromhex("300d") + b"\x0c\x08get-task" + b"\x01\x01\xff"
    array = b"\x30\x05\x0c\x03abc"
    group = b"\x30\x0c\x0c\x03grp" + array
    body = pair + group
    data = b"\x70" + bytes([3 + 2 + len(body)]) + b"\x02\x01\x01" + b"\xb0" + bytes([len(body)]) + body
    assert read_der_entitlements(data) == {"get-task": True, "grp": ["abc"]}


def test_fat_binary_signer_is_matched_by_issuer_and_serial() -> None:
    """A fat binary's signer is the oracle's signing certificate (not the first certificate)."""
    signature = read_code_signature(FAT)
    assert signature.certificate is not None
    wanted = expected()["apps"]["app_info__ipad.ipa"]["bundles"][0]["signing_certificate"]
    assert signature.certificate.sha256 == wanted["sha256"]
    assert signature.certificates[0].sha256 != wanted["sha256"]  # the intermediate comes first


def test_xml_entitlements_are_the_plist_in_slot_five() -> None:
    """The XML entitlements are read as a plist, keys and values intact."""
    signature = read_code_signature(DEMO)
    start = DEMO.index(b"<?xml", DEMO.index(struct.pack(">I", 0xFADE7171)))
    end = DEMO.index(b"</plist>", start) + len(b"</plist>")
    assert signature.entitlements == plistlib.loads(DEMO[start:end])


def test_an_unsigned_binary_has_no_signer() -> None:
    """A thin Mach-O header with no load commands: readable, no certificate, no entitlements."""
    header = struct.pack("<IiiIIIII", 0xFEEDFACF, 12, 0, 2, 0, 0, 0, 0)
    signature = read_code_signature(header)
    assert signature.certificate is None and signature.entitlements == {}


@pytest.mark.parametrize("data", [b"", b"\xca\xfe\xba\xbe" + b"\x00" * 4, b"\xcf\xfa\xed\xfe", DEMO[:4096]])
def test_damaged_binaries_are_unreadable(data: bytes) -> None:
    """Empty, an empty fat header, a bare magic, a cut binary: ``unreadable-executable``."""
    with pytest.raises(ParseError) as caught:
        read_code_signature(data)
    assert caught.value.code == "unreadable-executable"


def _der(tag: int, contents: bytes) -> bytes:
    """One DER value (short or long length)."""
    size = len(contents)
    if size < 0x80:
        return bytes([tag, size]) + contents
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + contents


@pytest.mark.parametrize("count", [20_001, 90_000])
def test_der_entitlements_with_too_many_values_are_refused(count: int) -> None:
    """A blob of tens of thousands of values (real ones hold under a hundred) is refused, not walked."""
    blob = _der(0x31, _der(0x30, _der(0x0C, b"k") + _der(0x30, b"\x01\x01\xff" * count)))
    with pytest.raises(ValueError, match=r"too many values|over 256 KiB"):
        read_der_entitlements(blob)
