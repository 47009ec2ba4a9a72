"""Fuzzing both readers: arbitrary bytes and mutations of real files raise only ``ParseError``.

Mutations start from the real fixtures (CMS, BER, bare plists, zips with Mach-O inside),
so they reach deep into every parser rather than dying at the first byte. Warnings are
errors here: real certificates must be read without noise.
"""

from __future__ import annotations

import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.errors import ParseError
from store.formats import ERROR_CODES
from store.formats.ipa import read_ipa
from store.formats.macho import read_code_signature
from store.formats.mobileprovision import read_mobileprovision
from tests.formats.oracle import REAL
from tests.fuzz.corpus import apply
from tests.fuzz.generators import shared_reference_bplist
from tests.fuzz.mutations import mutate

PROFILES = sorted(p.read_bytes() for p in (REAL / "profiles").iterdir() if p.stat().st_size)
APPS = sorted(
    p.read_bytes()
    for folder in ("apps", "bad-apps")
    for p in (REAL / folder).iterdir()
    if p.stat().st_size < 50_000
)
EXECUTABLES = [
    zipfile.ZipFile(REAL / "apps" / name).read(member)
    for name, member in (
        ("app_info__ipad.ipa", "Payload/bundle.app/bundle"),  # fat: armv7 + arm64
        ("app_info__embedded.ipa", "Payload/Demo.app/Demo"),  # XML and DER entitlements
        ("fastlane__fastlane_core__very-capable-app.ipa", "Payload/very-capable-app.app/very-capable-app"),
    )
]
FUZZ = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A real file with a few bytes flipped, a slice cut or bytes inserted, or truncated."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        size = len(data)
        # Headers and tails hold the structure (Mach-O load commands, the code signature, CMS
        # signer info, a zip's central directory): aim there more often than at the middle.
        at = draw(st.one_of(
            st.integers(0, min(4095, size - 1)),
            st.integers(max(0, size - 16_384), size - 1),
            st.integers(0, size - 1),
        ))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "byte"]))
        if action == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif action == "byte":
            data[at] = draw(st.sampled_from([0x00, 0x30, 0x80, 0xFF, 0x04, 0xA0]))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at:]
    return bytes(data)


def _only_parse_errors(read: object, data: bytes) -> None:
    """Call the reader; a ParseError must carry a documented code and a one-line message."""
    try:
        read(data)  # type: ignore[operator]
    except ParseError as error:
        assert error.code in ERROR_CODES, error.code
        assert "\n" not in error.message


@pytest.mark.filterwarnings("error")
@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_as_profile(data: bytes) -> None:
    """Random bytes never crash the profile reader."""
    _only_parse_errors(read_mobileprovision, data)


@pytest.mark.filterwarnings("error")
@FUZZ
@given(mutated(PROFILES))
def test_mutated_profiles(data: bytes) -> None:
    """Damaged real profiles (DER, BER, XML, binary plist) raise only ParseError."""
    _only_parse_errors(read_mobileprovision, data)


@pytest.mark.filterwarnings("error")
@FUZZ
@given(st.binary(max_size=4096).map(lambda b: b"PK\x03\x04" + b))
def test_arbitrary_bytes_as_app(data: bytes) -> None:
    """Random bytes behind a zip signature never crash the app reader."""
    _only_parse_errors(read_ipa, data)


@pytest.mark.filterwarnings("error")
@FUZZ
@given(mutated(APPS))
def test_mutated_apps(data: bytes) -> None:
    """Damaged real archives (central directory, Mach-O, embedded profile) raise only ParseError."""
    _only_parse_errors(read_ipa, data)


@pytest.mark.filterwarnings("error")
@FUZZ
@given(mutated(EXECUTABLES))
def test_mutated_executables(data: bytes) -> None:
    """Damaged Mach-O binaries (headers, load commands, superblob, CMS blob) raise only ParseError."""
    _only_parse_errors(read_code_signature, data)


@pytest.mark.filterwarnings("error")
@FUZZ
@given(st.sampled_from(PROFILES), st.integers(0, 2**32 - 1))
def test_profiles_under_the_fuzzers_mutations(data: bytes, seed: int) -> None:
    """The mutations ``make fuzz`` makes (lengths corrupted, slices duplicated...), drawn by Hypothesis."""
    _only_parse_errors(read_mobileprovision, apply(data, mutate(data, random.Random(seed))))


@FUZZ
@given(st.integers(1, 200), st.integers(1, 14))
def test_shared_references_never_hang_the_profile_reader(levels: int, width: int) -> None:
    """A bplist sharing one array ``width`` times a level, ``levels`` deep: an error or facts, quickly."""
    _only_parse_errors(read_mobileprovision, shared_reference_bplist(levels, width))
