"""Plists: every format Apple writes, and the fast XML path held equal to plistlib (the referee)."""

from __future__ import annotations

import plistlib
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import ParseError
from store.formats.cms import parse_signed_data
from store.formats.plist import load_plist
from store.formats.xmlplist import fast_loads, scan_loads
from tests.formats.oracle import REAL

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
@given(st.dictionaries(_text, _values, max_size=8))
def test_fast_path_equals_plistlib(document: dict[str, Any]) -> None:
    """For any plist plistlib writes, the fast reader gives plistlib's value, or declines."""
    data = plistlib.dumps(document, fmt=plistlib.FMT_XML)
    fast = fast_loads(data)
    assert fast is None or fast == plistlib.loads(data)
    assert load_plist(data) == plistlib.loads(data)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_text, _values, max_size=8))
def test_scanner_equals_plistlib(document: dict[str, Any]) -> None:
    """The tree-less scanner gives plistlib's value; it declines only text XML would rewrite (``&``)."""
    data = plistlib.dumps(document, fmt=plistlib.FMT_XML)
    scanned = scan_loads(data)
    if scanned is None:
        assert b"&" in data or b"]" in data or b"\xef\xbf" in data
    else:
        assert scanned == plistlib.loads(data)


@pytest.mark.parametrize(
    "data",
    [
        b"<plist><dict><key>a</key><key>b</key><string>c</string></dict></plist>",
        b"<plist><dict><key>a</key></dict></plist>",
        b"<plist><array><key>a</key></array></plist>",
        b"<plist><dict><string>a</string></dict></plist>",
        b"<plist><dict/><dict/></plist>",
        b"<plist><dict></array></plist>",
        b"<plist><dict>",
        b"<plist><dict/></plist>x",
        b"<plist><dict><key>a</key><string>x&amp;y</string></dict></plist>",
        b"<plist><dict><key>a</key><string>x\ry</string></dict></plist>",
        b"<plist><dict><key>a</key><string>x\x01y</string></dict></plist>",
        b"<plist><dict><key>a</key><string>\xef\xbf\xbe</string></dict></plist>",
        b"<plist><dict><key>a</key><string>]]></string></dict></plist>",
        b"<plist><dict><key>a</key><string>\xff</string></dict></plist>",
        b"<plist><dict><key>a</key><integer>x</integer></dict></plist>",
        b"<plist><dict><key>a</key><data>!</data></dict></plist>",
        b"<plist><dict><!-- c --></dict></plist>",
        b"<plist><dict><key>a</key><string a='1'>b</string></dict></plist>",
        b"<plist><dict><key>a</key><array><string>b</string>\n<string>c</string> <true/></array>"
        b"</dict></plist>",
        b" <?xml version='1.0'?><plist><dict/></plist>",
    ],
)
def test_scanner_declines_or_agrees(data: bytes) -> None:
    """Odd or broken documents: the scanner declines or agrees with plistlib, never differs."""
    scanned = scan_loads(data)
    if scanned is not None:
        assert scanned == plistlib.loads(data)


def test_scanner_reads_string_arrays_with_uneven_gaps() -> None:
    """Device lists split at one gap; uneven whitespace between items still reads item by item."""
    data = (
        b"<plist><array><string>a</string>\n\t<string>b</string>\n<string></string>"
        b"<string>d</string></array></plist>"
    )
    assert scan_loads(data) == ["a", "b", "", "d"] == plistlib.loads(data)


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
def test_fast_path_takes_every_real_profile(content: bytes) -> None:
    """Real profiles go through the fast path (it must not decline them) and equal plistlib."""
    try:
        reference = plistlib.loads(content)
    except Exception:
        assert fast_loads(content) is None
        return
    assert fast_loads(content) == reference
    scanned = scan_loads(content)
    assert scanned is None or scanned == reference


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
