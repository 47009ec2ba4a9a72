"""Plists: every format Apple writes read as plistlib reads it, and shared references bounded."""

from __future__ import annotations

import plistlib
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import ParseError
from store.formats.cms import parse_signed_data
from store.formats.plist import Shape, load_plist, nesting, shape
from tests.formats.oracle import REAL
from tests.fuzz.generators import shared_reference_bplist

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
_dates = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1))
_leaf = st.one_of(
    _text,
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.binary(max_size=40),
    _dates.map(lambda d: d.replace(microsecond=0)),
    st.floats(allow_nan=False, allow_infinity=False),
)
_values = st.recursive(
    _leaf, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_text, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_text, _values, max_size=8), st.sampled_from([plistlib.FMT_XML, plistlib.FMT_BINARY]))
def test_any_plist_plistlib_writes_reads_back(document: dict[str, Any], fmt: plistlib.PlistFormat) -> None:
    """Whatever plistlib writes, XML or binary, reads back equal; what plistlib cannot read back is refused.

    (plistlib writes XML noncharacters such as U+FFFE that no XML parser accepts.)
    """
    data = plistlib.dumps(document, fmt=fmt)
    try:
        expected = plistlib.loads(data)
    except Exception:
        with pytest.raises(ParseError):
            load_plist(data)
        return
    assert load_plist(data) == expected


def _contents() -> list[bytes]:
    """The plist inside every readable real profile."""
    found = []
    for path in sorted((REAL / "profiles").iterdir()):
        data = path.read_bytes()
        if data.startswith(b"\x30"):
            content = parse_signed_data(data).content
            assert content is not None
            found.append(content)
    return found


@pytest.mark.parametrize("content", _contents())
def test_every_real_profile_reads_as_plistlib_reads_it(content: bytes) -> None:
    """The plist inside each real profile gives plistlib's value, or fails where plistlib fails."""
    try:
        reference = plistlib.loads(content)
    except Exception:
        with pytest.raises(ParseError):
            load_plist(content)
        return
    assert load_plist(content) == reference


@pytest.mark.parametrize("levels", [20, 31, 60, 200])
def test_shared_references_are_refused_in_linear_time(levels: int) -> None:
    """A bplist whose arrays each list the next one twice: 2**levels paths from a few hundred bytes.

    The shape is measured over distinct objects (a tree walk would not end), and the value is
    refused because its tree is larger than the file.
    """
    data = shared_reference_bplist(levels)
    value = plistlib.loads(data)
    assert shape(value) == Shape(depth=levels + 2, nodes=2 ** (levels + 1) + 1)
    with pytest.raises(ParseError) as caught:
        load_plist(data)
    assert caught.value.code == "malformed-plist"


def test_shared_scalars_and_small_sharing_are_read() -> None:
    """Sharing that keeps the tree within the file's size is ordinary (plistlib shares equal strings)."""
    data = plistlib.dumps({"a": ["same"] * 500}, fmt=plistlib.FMT_BINARY)
    assert load_plist(data) == {"a": ["same"] * 500}
    tree = [[["x", "x"]] * 2] * 2
    assert load_plist(shared_reference_bplist(3)) == {"Entitlements": {"keychain-access-groups": tree}}


def test_a_plist_that_contains_itself_is_refused() -> None:
    """An array whose element is the array itself (a binary plist can say so) is a loop, not a hang."""
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ParseError) as caught:
        shape({"a": loop})
    assert caught.value.code == "malformed-plist"


@pytest.mark.parametrize(
    ("value", "depth"), [(1, 0), ({}, 0), ({"a": 1}, 1), ({"a": {}}, 1), ({"a": [{"b": 1}]}, 3), ([[]], 1)],
)
def test_nesting_counts_levels(value: Any, depth: int) -> None:
    """Depth as the entitlements check counts it: a scalar 0, each container holding something one more."""
    assert nesting(value) == depth


@pytest.mark.parametrize(
    "data",
    [
        b"<plist><dict><key>a</key><string>b</string></dict></plist>",
        b'<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "x">'
        b"<plist><dict><key>a</key><string>b</string></dict></plist>",
        b"\x01<?xml version='1.0'?><plist><dict><key>a</key><string>b</string></dict></plist>",
        b"\xef\xbb\xbf<plist><dict><key>a</key><string>b</string></dict></plist>",
        plistlib.dumps({"a": "b"}, fmt=plistlib.FMT_BINARY),
    ],
    ids=["no-header", "doctype-first", "stray-byte", "bom", "binary"],
)
def test_every_form_apple_writes(data: bytes) -> None:
    """With or without the header, after a stray byte or a BOM, or binary: the same dictionary."""
    assert load_plist(data) == {"a": "b"}


@pytest.mark.parametrize(
    "data",
    [
        b"<plist><array/></plist>",
        b"<plist><dict><key>a</key></dict></plist>",
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]><plist><dict><key>a</key><string>&a;</string></dict></plist>',
        b"<plist><dict><key>a</key><data>!!!</data>",
        b"bplist00garbage",
        b"hello",
    ],
    ids=["not-a-dict", "key-without-value", "entity", "truncated", "bad-binary", "not-a-plist"],
)
def test_broken_plists_are_one_error(data: bytes) -> None:
    """Every way a plist can be wrong is ``malformed-plist`` (entities are refused, not expanded)."""
    with pytest.raises(ParseError) as caught:
        load_plist(data)
    assert caught.value.code == "malformed-plist"


@pytest.mark.parametrize(
    "value",
    [
        "<integer> 0x10</integer>", "<integer> 12 </integer>", "<integer>0X1f</integer>", "<true>x</true>",
        "<date>2020-01-02T03:04Z</date>", "<date>2020-13-02T03:04:05Z</date>", "<key>k</key>",
        "<string>a<b/>c</string>",
    ],
)
def test_edge_values_read_as_plistlib_reads_them(value: str) -> None:
    """Odd but possible values: the reader returns plistlib's value, or fails where plistlib fails."""
    data = f"<plist><dict><key>a</key>{value}</dict></plist>".encode()
    try:
        reference: Any = plistlib.loads(data, fmt=plistlib.FMT_XML)
    except Exception:
        with pytest.raises(ParseError):
            load_plist(data)
        return
    assert load_plist(data) == reference
