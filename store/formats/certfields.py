"""The fields of an X.509 certificate, walked with ``der.py`` instead of asn1crypto's typed tree.

A profile import parses every developer certificate it has not seen; asn1crypto's typed
parse of one certificate costs about 300 µs (most of it in building objects we never
use), more than reading the rest of the profile. The walk below reads only what the model
needs, keeps the original bytes for signature checks, and tolerates what real certificates
do wrong (long common names, odd string types): it never validates what it does not read.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from asn1crypto import algos

from store.formats.der import (
    CONTEXT,
    INTEGER,
    SEQUENCE,
    SET,
    UNIVERSAL,
    Node,
    children,
    dotted,
    expect,
    oid,
    read,
    time,
)

_CN, _OU, _SKI = "2.5.4.3", "2.5.4.11", "2.5.29.14"
_BIT_STRING, _BOOLEAN = 3, 1
_LATIN = {19, 20, 22, 26, 27}  # Printable, Teletex, IA5, Visible, General strings


class CertFields(NamedTuple):
    """Raw and decoded pieces of one certificate."""

    tbs: bytes
    serial_hex: str
    serial: int
    issuer_der: bytes
    subject_der: bytes
    not_before: datetime
    not_after: datetime
    spki: bytes
    signature: bytes
    hash_name: str
    extension_oids: frozenset[str]
    key_id: bytes | None
    common_name: str | None
    team_id: str | None


def _text(node: Node) -> str:
    """A directory string of whatever type a CA chose, decoded without complaint."""
    if node.tag == 30:
        return node.contents.decode("utf-16-be", "replace")
    if node.tag == 28:
        return node.contents.decode("utf-32-be", "replace")
    if node.tag in _LATIN:
        return node.contents.decode("latin-1")
    return node.contents.decode("utf-8", "replace")


def _name_values(name: Node) -> dict[str, str]:
    """The first value of each attribute type in a distinguished name, by OID."""
    values: dict[str, str] = {}
    for rdn in children(expect(name, UNIVERSAL, SEQUENCE, "name")):
        data = expect(rdn, UNIVERSAL, SET, "relative name").contents
        size = len(data)
        # The usual RDN, one SEQUENCE { OID, value } in short forms, read in place: the same
        # decoding as the general loop below, without building a node per piece.
        if 6 < size < 0x82 and data[0] == 0x30 and data[1] == size - 2 and data[2] == 0x06:
            value_at = 4 + data[3]
            if data[3] < 0x80 and value_at + 2 <= size and data[value_at] & 31 != 31:
                length = data[value_at + 1]
                if length < 0x80 and value_at + 2 + length == size:
                    first = data[value_at]
                    value = Node(first >> 6, (first >> 5) & 1, first & 31, b"", data[value_at + 2 :], b"")
                    values.setdefault(dotted(data[2:value_at]), _text(value))
                    continue
        for pair in children(rdn):
            kind, value = children(pair)[:2]
            values.setdefault(oid(kind), _text(value))
    return values


def _hash_name(algorithm: Node) -> str:
    """The hash of a certificate's signature algorithm (``sha256`` from ``sha256WithRSAEncryption``)."""
    return _hash_of(algorithm.encoded)


@lru_cache(maxsize=64)
def _hash_of(encoded: bytes) -> str:
    """:func:`_hash_name` by the identifier's bytes: a fleet uses three or four, so each is read once."""
    algorithm = read(encoded, 0, len(encoded))[0]
    name = str(algos.SignedDigestAlgorithmId.map(oid(children(algorithm)[0])))
    if name.endswith(("_rsa", "_ecdsa", "_dsa")):
        return name.rsplit("_", 1)[0]
    try:
        return str(algos.SignedDigestAlgorithm.load(encoded).hash_algo)
    except Exception:
        return ""


def _extensions(node: Node | None) -> tuple[frozenset[str], bytes | None]:
    """Extension OIDs present, and the subject key identifier if there is one."""
    if node is None:
        return frozenset(), None
    found: set[str] = set()
    key_id = None
    for extension in children(children(node)[0]):
        body = expect(extension, UNIVERSAL, SEQUENCE, "extension").contents
        if len(body) > 2 and body[0] == 0x06 and body[1] < 0x80 and len(body) >= 2 + body[1]:
            name = dotted(body[: 2 + body[1]])  # the usual short OID header, without a Node
        else:
            name = oid(read(body, 0, len(body))[0])
        found.add(name)
        if name == _SKI:
            value = children(extension)[-1].contents
            key_id = read(value, 0, len(value))[0].contents if value else None
    return frozenset(found), key_id


def certificate_fields(top: Node) -> CertFields:
    """Walk Certificate -> TBSCertificate; any shape problem is a ``ValueError``."""
    tbs_node, algorithm, signature = children(expect(top, UNIVERSAL, SEQUENCE, "certificate"))[:3]
    tbs = children(expect(tbs_node, UNIVERSAL, SEQUENCE, "TBSCertificate"))
    if tbs[0].is_(CONTEXT, 0):
        tbs = tbs[1:]
    serial, _sig, issuer, validity, subject, spki = tbs[:6]
    expect(serial, UNIVERSAL, INTEGER, "serial number")
    not_before, not_after = children(validity)[:2]
    names = _name_values(subject)
    expect(issuer, UNIVERSAL, SEQUENCE, "issuer")
    extensions = next((n for n in tbs[6:] if n.is_(CONTEXT, 3)), None)
    oids, key_id = _extensions(extensions)
    expect(signature, UNIVERSAL, _BIT_STRING, "signature")
    return CertFields(
        tbs=tbs_node.encoded,
        serial_hex=serial.contents.hex().upper(),
        serial=int.from_bytes(serial.contents, "big", signed=True),
        issuer_der=issuer.encoded,
        subject_der=subject.encoded,
        not_before=time(not_before),
        not_after=time(not_after),
        spki=expect(spki, UNIVERSAL, SEQUENCE, "public key").encoded,
        signature=signature.contents[1:],
        hash_name=_hash_name(algorithm),
        extension_oids=oids,
        key_id=key_id,
        common_name=names.get(_CN),
        team_id=names.get(_OU),
    )
