"""The copy-free fast paths agree with the node walks they shortcut, or decline to them.

``cms._parse_spans`` mirrors ``cms._parse`` over offsets, ``certificate_fields_at`` mirrors
``certificate_fields``, and certificate names are read in place when an RDN has the usual
shape: on every real profile and on mutations of them, a fast answer must equal the node
walk's, and where the node walk refuses the bytes the fast path must refuse them too (it
may decline more, never accept more).
"""

from __future__ import annotations

from hypothesis import given

from store.formats import cms
from store.formats.certfields import _name_values, certificate_fields, certificate_fields_at
from store.formats.der import SEQUENCE, SET, UNIVERSAL, Node, children, dotted, whole
from tests.formats.test_fuzz import FUZZ, PROFILES, mutated

SIGNED = [data for data in PROFILES if data[:1] == b"\x30"]


def _both(data: bytes) -> tuple[object, object]:
    """(fast result or None, node walk result or the exception type it raised)."""
    try:
        slow: object = cms._parse(data)
    except Exception as exc:
        slow = type(exc)
    try:
        fast: object = cms._parse_spans(data)
    except Exception:
        fast = None
    return fast, slow


def test_mirror_reads_the_real_profiles() -> None:
    """Apple's DER profiles take the fast path, with the node walk's exact result."""
    taken = 0
    for data in SIGNED:
        fast, slow = _both(data)
        if fast is not None:
            assert fast == slow
            taken += 1
    assert taken >= len(SIGNED) // 2


@FUZZ
@given(mutated(SIGNED))
def test_mirror_never_differs_on_mutations(data: bytes) -> None:
    """Damaged CMS: the mirror declines or gives the node walk's answer, never accepts a refused file."""
    fast, slow = _both(data)
    if fast is not None:
        assert fast == slow


def _slow_names(name: Node) -> dict[str, str]:
    """The general RDN loop alone (what the in-place read must equal)."""
    from store.formats.certfields import _text

    values: dict[str, str] = {}
    for rdn in children(name):
        for pair in children(rdn):
            kind, value = children(pair)[:2]
            values.setdefault(dotted(kind.header + kind.contents), _text(value))
    return values


def _names(der: bytes) -> list[Node]:
    """Issuer and subject of a certificate as nodes."""
    tbs = children(children(whole(der))[0])
    if tbs[0].cls == 2:
        tbs = tbs[1:]
    return [tbs[2], tbs[4]]


def test_names_read_in_place_equal_the_general_loop() -> None:
    """Every name in every certificate the real profiles carry reads the same both ways."""
    seen = 0
    for data in SIGNED:
        try:
            signed = cms.parse_signed_data(data)
        except Exception:
            continue
        for der in signed.certificates:
            for name in _names(der):
                assert name.is_(UNIVERSAL, SEQUENCE) and all(r.is_(UNIVERSAL, SET) for r in children(name))
                assert _name_values(name) == _slow_names(name)
                seen += 1
    assert seen >= 20


def _certificates() -> list[bytes]:
    """Every certificate the real profiles carry in their CMS (Apple CAs and signers)."""
    found: list[bytes] = []
    for data in SIGNED:
        try:
            found.extend(cms.parse_signed_data(data).certificates)
        except Exception:
            continue
    return sorted(set(found))


CERTS = _certificates()


def _fields_both(der: bytes) -> tuple[object, object]:
    """(offset walk's fields or None, node walk's fields or the exception type it raised)."""
    try:
        slow: object = certificate_fields(whole(der))
    except Exception as exc:
        slow = type(exc)
    try:
        fast: object = certificate_fields_at(der)
    except Exception:
        fast = None
    return fast, slow


def test_certificate_offset_walk_equals_node_walk() -> None:
    """Every real certificate is read by the offset walk, with the node walk's exact fields."""
    assert len(CERTS) >= 5
    for der in CERTS:
        fast, slow = _fields_both(der)
        assert fast is not None and fast == slow


@FUZZ
@given(mutated(CERTS))
def test_certificate_offset_walk_never_differs_on_mutations(der: bytes) -> None:
    """Damaged certificates: the offset walk declines or agrees, never accepts a refused one."""
    fast, slow = _fields_both(der)
    if fast is not None:
        assert fast == slow
