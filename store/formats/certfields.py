"""The fields of an X.509 certificate, read with asn1crypto: what the model and chain checks need.

Real certificates do things the strict readers refuse (common names over 64 characters,
a string type outside ``DirectoryString``), so the certificate is loaded with an asn1crypto
spec of RFC 5280's layout that types only the fields the model reads: names, keys and
extension values stay ``Any`` (their bytes kept for signature checks and chain matching,
not decoded into objects nobody reads), and name values are any string type, decoded
without complaint. A certificate parse is most of an import's cost for a new team, so the
extensions and the subject are walked as raw elements (:mod:`store.formats.asn1parts`):
only the extension OIDs, the subject key identifier, the common name and the
organizational unit are read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple

from asn1crypto import algos, core, x509

from store.formats.asn1parts import SEQUENCE, SET, children, elements, object_identifier, parts

_CN, _OU, _SKI = "2.5.4.3", "2.5.4.11", "2.5.29.14"
_MAX_EXTENSIONS, _MAX_RDNS, _MAX_ATTRIBUTES = 64, 64, 16
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


class _Extension(core.Sequence):  # type: ignore[misc]
    """An extension whose value stays bytes (only the subject key identifier is ever decoded)."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("extn_id", core.ObjectIdentifier),
        ("critical", core.Boolean, {"default": False}),
        ("extn_value", core.OctetString),
    ]


class _Extensions(core.SequenceOf):  # type: ignore[misc]
    """The extensions of a TBSCertificate, read only as their contents (see :func:`_extensions`)."""

    _child_spec = core.Any


class _TbsCertificate(core.Sequence):  # type: ignore[misc]
    """RFC 5280's TBSCertificate with names and the key left as raw values."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("version", core.Integer, {"explicit": 0, "default": 0}),
        ("serial_number", core.Integer),
        ("signature", core.Any),
        ("issuer", core.Any),
        ("validity", x509.Validity),
        ("subject", core.Any),
        ("subject_public_key_info", core.Any),
        ("issuer_unique_id", core.OctetBitString, {"implicit": 1, "optional": True}),
        ("subject_unique_id", core.OctetBitString, {"implicit": 2, "optional": True}),
        ("extensions", _Extensions, {"explicit": 3, "optional": True}),
    ]


class _Certificate(core.Sequence):  # type: ignore[misc]
    """RFC 5280's Certificate around the lean TBSCertificate."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("tbs_certificate", _TbsCertificate),
        ("signature_algorithm", algos.SignedDigestAlgorithm),
        ("signature_value", core.OctetBitString),
    ]


@lru_cache(maxsize=1024)
def dotted(contents: bytes) -> str:
    """An OID's dotted form from its encoded contents (a fleet repeats a few dozen OIDs)."""
    return str(core.ObjectIdentifier(contents=contents).dotted)


def oid(value: Any) -> str:
    """The dotted form of an asn1crypto ``ObjectIdentifier`` (cached by its bytes)."""
    return dotted(bytes(value.contents))


def _text(encoded: bytes) -> str:
    """A directory string of whatever type a CA chose, decoded without complaint."""
    _class, _method, tag, contents = parts(encoded)
    if tag == 30:
        return contents.decode("utf-16-be", "replace")
    if tag == 28:
        return contents.decode("utf-32-be", "replace")
    if tag in _LATIN:
        return contents.decode("latin-1")
    return contents.decode("utf-8", "replace")


def _name_values(name_der: bytes) -> dict[str, str]:
    """The first common name and organizational unit of a distinguished name, by OID."""
    values: dict[str, str] = {}
    for relative_name in children(name_der, SEQUENCE, _MAX_RDNS):
        for attribute in children(relative_name, SET, _MAX_ATTRIBUTES):
            kind_der, value_der = children(attribute, SEQUENCE, 2)
            kind = dotted(object_identifier(kind_der))
            if kind in (_CN, _OU) and kind not in values:
                values[kind] = _text(value_der)
    return values


def _hash_name(algorithm: Any) -> str:
    """The hash of a certificate's signature algorithm (``sha256``); "" when it names none we know."""
    try:
        return str(algorithm.hash_algo)
    except Exception:  # an unknown or hash-less algorithm: its signature never verifies
        return ""


def _extensions(tbs: Any) -> tuple[frozenset[str], bytes | None]:
    """Extension OIDs present, and the subject key identifier if there is one."""
    extensions = tbs["extensions"]
    if isinstance(extensions, core.Void):
        return frozenset(), None
    found: set[str] = set()
    key_id = None
    for encoded in elements(extensions.contents, _MAX_EXTENSIONS):
        name = dotted(object_identifier(children(encoded, SEQUENCE, 3)[0]))
        found.add(name)
        if name == _SKI and key_id is None:
            extension = _Extension.load(encoded, strict=True)
            key_id = bytes(core.OctetString.load(extension["extn_value"].native).native)
    return frozenset(found), key_id


def _time(value: Any) -> datetime:
    """A validity bound as aware UTC."""
    moment: datetime = value.native
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def certificate_fields(der: bytes) -> CertFields:
    """Every field the model and the chain check use, read now; any failure is an exception."""
    certificate = _Certificate.load(der, strict=True)
    tbs = certificate["tbs_certificate"]
    serial = tbs["serial_number"]
    subject_der = tbs["subject"].dump()
    validity = tbs["validity"]
    names = _name_values(subject_der)
    oids, key_id = _extensions(tbs)
    return CertFields(
        tbs=tbs.dump(),
        serial_hex=serial.contents.hex().upper(),
        serial=int(serial.native),
        issuer_der=tbs["issuer"].dump(),
        subject_der=subject_der,
        not_before=_time(validity["not_before"]),
        not_after=_time(validity["not_after"]),
        spki=tbs["subject_public_key_info"].dump(),
        signature=bytes(certificate["signature_value"].native),
        hash_name=_hash_name(certificate["signature_algorithm"]),
        extension_oids=oids,
        key_id=key_id,
        common_name=names.get(_CN),
        team_id=names.get(_OU),
    )
