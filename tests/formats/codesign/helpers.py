"""Real fixture apps rebuilt with one thing changed, and their integrity read back."""

from __future__ import annotations

import io
import plistlib
import zipfile
from collections.abc import Callable, Mapping, Sequence

from store.formats.codesign.structure import parse_macho
from store.formats.ipa import read_ipa
from store.formats.macho import read_code_signature
from store.model import Integrity, TrustAnchor
from store.signing.archive import digest_of
from store.signing.codesig import CodeSpec, sign_code
from store.signing.identity import Identity
from store.signing.seal import code_resources
from tests.formats.oracle import REAL
from tests.signing.identities import NOW

Change = Callable[[str, bytes], bytes | None]


def entry(app: str, name: str) -> bytes:
    """One entry of a real fixture app."""
    return zipfile.ZipFile(REAL / "apps" / app).read(name)


def rebuilt(
    app: str,
    change: Change | None = None,
    extra: Mapping[str, bytes] | None = None,
    links: Mapping[str, str] | None = None,
) -> bytes:
    """The real app with each entry through ``change`` (``None`` drops it), plus files and symlinks."""
    source = zipfile.ZipFile(REAL / "apps" / app)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            changed = change(info.filename, data) if change else data
            if changed is not None:
                target.writestr(info, changed)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
        for name, destination in (links or {}).items():
            link = zipfile.ZipInfo(name)
            link.create_system = 3
            link.external_attr = 0o120777 << 16
            target.writestr(link, destination)
    return out.getvalue()


def only(name: str, replace: Callable[[bytes], bytes]) -> Change:
    """A change that rewrites one entry and keeps every other."""
    return lambda n, d: replace(d) if n == name else d


def integrity(data: bytes, anchors: Sequence[TrustAnchor] = ()) -> Integrity:
    """The integrity verdict ``read_ipa`` gives."""
    verdict = read_ipa(data, anchors).app.integrity
    assert verdict is not None
    return verdict


def codes(verdict: Integrity) -> set[str]:
    """The problem codes of a verdict."""
    return {p.code for p in verdict.problems}


def signature_offset(binary: bytes, slot: int, slice_index: int = 0) -> int:
    """Where the blob in ``slot`` of one slice starts in the file."""
    piece = parse_macho(binary).slices[slice_index]
    assert piece.superblob is not None and piece.signature is not None
    blob = next(b for b in piece.superblob.blobs if b.slot == slot)
    return piece.offset + piece.signature.dataoff + blob.offset


def signed_as_before(app: str, name: str, identity: Identity, resources: bytes) -> bytes:
    """A binary of a real app re-signed by ``identity`` with the seal ``resources`` and what it
    bound before (identifier, Info.plist, entitlements), by the re-signer's own code signer."""
    binary = entry(app, name)
    piece = parse_macho(binary).slices[0]
    assert piece.superblob is not None
    bundle = name.rsplit("/", 1)[0]
    spec = CodeSpec(
        piece.superblob.code_directories[0].identifier,
        entry(app, f"{bundle}/Info.plist"),
        resources,
        dict(read_code_signature(binary).entitlements),
    )
    return sign_code(name, binary, spec, identity, NOW)


def resealed(app: str, bundle: str, changed: Mapping[str, bytes]) -> bytes:
    """A new CodeResources for ``bundle`` of a real app over its files, ``changed`` ones as given."""
    source = zipfile.ZipFile(REAL / "apps" / app)
    files = {
        info.filename[len(bundle) + 1 :]: digest_of(changed.get(info.filename) or source.read(info))
        for info in source.infolist()
        if info.filename.startswith(bundle + "/") and not info.is_dir()
    }
    executable = plistlib.loads(source.read(f"{bundle}/Info.plist"))["CFBundleExecutable"]
    return code_resources(files, executable)
