"""One Mach-O file verified as iOS does: every slice, every CodeDirectory, every page.

For each slice: the layout ``--strict`` demands (codeLimit at the signature, the
signature last in ``__LINKEDIT``), every page hash of every CD up to codeLimit, the
special slots (Info.plist and CodeResources given by the bundle, the requirements and
entitlements blobs from the signature), the CMS (``signature.py``), and what iOS refuses
on its own: a CodeDirectory older than 0x20400, an executable without DER entitlements,
DER entitlements that do not say what the XML ones say.
Problems are merged across slices so a fat binary says "(armv7, arm64)" once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from store.errors import ParseError
from store.formats.codesign.seal import SEAL_PATH
from store.formats.codesign.signature import check_signature
from store.formats.codesign.structure import (
    DER_ENTITLEMENTS,
    ENTITLEMENTS,
    MH_EXECUTE,
    REQUIREMENTS,
    SLOT_CMS,
    SLOT_DER_ENTITLEMENTS,
    SLOT_ENTITLEMENTS,
    SLOT_INFO,
    SLOT_RESOURCES,
    CodeDirectory,
    Slice,
    parse_macho,
)
from store.formats.derents import read_der_entitlements
from store.formats.macho import signed_entitlements
from store.formats.x509 import ParsedCert
from store.model import CodeDirectoryHash, TrustAnchor

MIN_IOS_VERSION = 0x20400
_BLOB_SLOTS = {
    2: ("requirements", REQUIREMENTS),
    5: ("XML entitlements", ENTITLEMENTS),
    7: ("DER entitlements", DER_ENTITLEMENTS),
}
_EXTERNAL = {SLOT_INFO: "Info.plist", SLOT_RESOURCES: SEAL_PATH}
_CPU = {
    (12, 9): "armv7",
    (12, 11): "armv7s",
    (0x100000C, 2): "arm64e",
    (7, 3): "i386",
    (0x1000007, 3): "x86_64",
}
Blobs = tuple[bytes | None, bytes | None]  # a slice's XML and DER entitlements blobs
_CPU_TYPE = {12: "arm", 0x100000C: "arm64", 7: "i386", 0x1000007: "x86_64"}


@dataclass
class CodeReport:
    """What one Mach-O's check found, and what the bundle-level checks need from it."""

    problems: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    identifier: str | None = None
    teams: set[str | None] = field(default_factory=set)
    cdhashes: list[CodeDirectoryHash] = field(default_factory=list)
    hash_names: set[str] = field(default_factory=set)
    signer: ParsedCert | None = None
    entitlements: Mapping[str, Any] = field(default_factory=dict)
    executable: bool = False

    def add(self, code: str, message: str, arch: str) -> None:
        """Record a problem for one slice; the same one in another slice only adds the arch."""
        arches = self.problems.setdefault((code, message), [])
        if arch not in arches:
            arches.append(arch)

    @property
    def team(self) -> str | None:
        """The team every slice names (``None`` if none or they disagree)."""
        return next(iter(self.teams)) if len(self.teams) == 1 else None


def arch_name(piece: Slice) -> str:
    """``arm64``, ``armv7``...: how people name a slice."""
    return _CPU.get(
        (piece.cputype, piece.cpusubtype & 0xFF), _CPU_TYPE.get(piece.cputype, hex(piece.cputype))
    )


def _pages(data: memoryview, cd: CodeDirectory) -> int | None:
    """The first page whose hash differs from the CD's, or ``None`` when all match."""
    size = cd.page_size or cd.code_limit
    if cd.code_limit > len(data):
        return 0
    for index, expected in enumerate(cd.code_hashes):
        start = index * size
        if cd.digest(data[start : min(start + size, cd.code_limit)]) != expected:
            return index
    return None


def _layout(piece: Slice, cd: CodeDirectory, report: CodeReport, arch: str) -> None:
    """The placement ``--strict`` requires: nothing unhashed but the signature itself."""
    assert piece.signature is not None
    linkedit = piece.segment("__LINKEDIT")
    if cd.code_limit != piece.signature.dataoff:
        report.add("signature-layout", "the code limit is not where the signature starts", arch)
    if linkedit is None or linkedit.fileoff + linkedit.filesize != piece.size:
        report.add("signature-layout", "__LINKEDIT does not end with the slice", arch)


def _slots(
    piece: Slice, cd: CodeDirectory, externals: Mapping[int, bytes] | None, report: CodeReport, arch: str
) -> None:
    """Each special slot against its component: present and bound must match; bound needs present."""
    assert piece.superblob is not None
    for slot, (label, magic) in _BLOB_SLOTS.items():
        blob = piece.superblob.blob(slot)
        blob = blob if blob is not None and blob[:4] == magic.to_bytes(4, "big") else None
        _slot(cd, slot, label, blob, report, arch)
    if externals is not None:
        for slot, label in _EXTERNAL.items():
            _slot(cd, slot, label, externals.get(slot), report, arch)


def _slot(
    cd: CodeDirectory, slot: int, label: str, component: bytes | None, report: CodeReport, arch: str
) -> None:
    """One special slot: the component's hash must equal the bound one, both present or absent."""
    bound = cd.special_hash(slot)
    if bound is None and component is None:
        return
    if bound is None:
        report.add("special-slot-mismatch", f"the {label} is not bound by the signature", arch)
    elif component is None:
        report.add("special-slot-mismatch", f"the signed {label} is missing", arch)
    elif cd.digest(component) != bound:
        report.add(
            "special-slot-mismatch", f"the {label} was changed after signing ({cd.hash_name} slot)", arch
        )


def _check_slice(
    data: memoryview,
    piece: Slice,
    externals: Mapping[int, bytes] | None,
    anchors: Sequence[TrustAnchor],
    report: CodeReport,
    claims: dict[Blobs, tuple[dict[str, Any], bool]],
) -> None:
    """Everything about one signed slice (``claims``: the entitlements decoded so far, by blobs)."""
    arch = arch_name(piece)
    assert piece.superblob is not None
    cds = piece.superblob.code_directories
    report.identifier = report.identifier or cds[0].identifier
    report.teams.add(cds[0].team_id)
    report.executable = report.executable or piece.filetype == MH_EXECUTE
    for cd in cds:
        report.cdhashes.append(CodeDirectoryHash(arch, cd.hash_name, cd.cdhash.hex(), cd.version))
        report.hash_names.add(cd.hash_name)
        _layout(piece, cd, report, arch)
        page = _pages(data, cd)
        if page is not None:
            report.add("code-page-mismatch", f"code page {page} differs from its {cd.hash_name} hash", arch)
        _slots(piece, cd, externals, report, arch)
        if cd.version < MIN_IOS_VERSION:
            report.add(
                "weak-signature",
                f"CodeDirectory version {cd.version:#x} is below 0x20400, "
                "which iOS 15 and later refuse (0xe8008029)",
                arch,
            )
    verdict = check_signature(piece.superblob.blob(SLOT_CMS), cds, anchors)
    for code, message in verdict.problems:
        report.add(code, message, arch)
    report.signer = report.signer or verdict.signer
    blobs = (piece.superblob.blob(SLOT_ENTITLEMENTS), piece.superblob.blob(SLOT_DER_ENTITLEMENTS))
    if blobs not in claims:  # the slices of one binary usually carry the same entitlements blobs
        entitlements = signed_entitlements(piece.superblob)
        der = piece.superblob.payload(SLOT_DER_ENTITLEMENTS, DER_ENTITLEMENTS)
        claims[blobs] = (entitlements, der is not None and entitlements != _der_entitlements(der))
    entitlements, disagree = claims[blobs]
    report.entitlements = report.entitlements or entitlements
    if piece.filetype == MH_EXECUTE and entitlements and blobs[1] is None:
        report.add("weak-signature", "no DER entitlements, which iOS 15 and later require", arch)
    elif disagree:
        report.add("entitlements-mismatch", "the XML and DER entitlements say different things", arch)


def _der_entitlements(der: bytes) -> object:
    """The DER entitlements decoded, or ``None`` when they cannot be (they then match nothing)."""
    try:
        return read_der_entitlements(der)
    except Exception:  # a damaged blob: asn1crypto may raise anything while decoding lazily
        return None


def verify_macho(
    data: bytes, externals: Mapping[int, bytes] | None, anchors: Sequence[TrustAnchor] = ()
) -> CodeReport:
    """Check every slice of a Mach-O; ``externals`` are a bundle's Info.plist (1) and seal (3).

    ``None`` means a loose Mach-O, which binds no file outside itself. A signature that
    does not parse is a problem of this code (``signature-damaged``), never an exception.
    """
    report = CodeReport()
    try:
        macho = parse_macho(data)
    except ParseError as error:
        report.add("signature-damaged", error.message, "")
        return report
    view = memoryview(data)
    claims: dict[Blobs, tuple[dict[str, Any], bool]] = {}
    for piece in macho.slices:
        arch = arch_name(piece)
        if piece.superblob is None:
            report.add("unsigned-code", "the code has no signature", arch)
            continue
        try:
            code = view[piece.offset : piece.offset + piece.size]
            _check_slice(code, piece, externals, anchors, report, claims)
        except ParseError as error:
            report.add("signature-damaged", error.message, arch)
    if len(report.teams) > 1:
        report.add("team-mismatch", "the slices name different teams", "")
    return report
