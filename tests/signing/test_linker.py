"""The re-signer's page hashes against LLVM's, on Mach-O files linked here by ld64.lld-14.

Re-signing a linker-signed binary must hash the same bytes to the same page hashes as
lld did: every page when the hashes are taken over the linker's own layout, and every page
after page 0 once the signature has grown (page 0 holds the sizes that grow). A binary
without ``LC_CODE_SIGNATURE`` gets one where the load commands leave room, and a clean
refusal, with nothing written, where they do not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.formats.codesign import parse_macho
from store.signing.blobs import HASH_SHA256, page_hashes
from store.signing.codesig import CodeSpec, SignatureBuilder
from store.signing.identity import Identity, SigningError
from store.signing.macho import sign_macho
from tests.signing.identities import NOW, SigningPKI
from tests.signing.oracle import check_code
from tests.signing.toolchain import build_macho, otool_signature


def _sign(data: bytes, identity: Identity, identifier: str = "com.example.built") -> bytes:
    """Sign one Mach-O as a bundle's executable would be (no resources bound)."""
    builder = SignatureBuilder(CodeSpec(identifier, entitlements={}), identity, NOW)
    return sign_macho(data, builder.room_needed, builder.build, allow_unsigned=False)


@pytest.mark.parametrize("kind", ["exe", "dylib"])
def test_page_hashes_equal_the_linkers_over_its_layout(tmp_path: Path, kind: str) -> None:
    """Over the linker's own bytes and code limit, our page hashes are lld's, page for page."""
    data = build_macho(tmp_path, "built", kind=kind, padding=20_000)  # type: ignore[arg-type]
    (piece,) = parse_macho(data).slices
    assert piece.superblob is not None and piece.signature is not None
    (linker_cd,) = piece.superblob.code_directories
    assert linker_cd.flags & 0x20002 == 0x20002  # lld's linker-signed ad-hoc signature
    ours = page_hashes(HASH_SHA256, data, linker_cd.code_limit)
    assert len(ours) == linker_cd.n_code > 4
    assert tuple(ours) == linker_cd.code_hashes


def test_resigned_linker_output_keeps_lld_page_hashes(
    tmp_path: Path, identity: Identity, pki: SigningPKI
) -> None:
    """After growing the signature, every page but the header page still hashes as lld hashed it."""
    data = build_macho(tmp_path, "built", padding=20_000)
    (before,) = parse_macho(data).slices
    assert before.superblob is not None and before.signature is not None
    signed = _sign(data, identity)
    (after,) = parse_macho(signed).slices
    assert after.superblob is not None and after.signature is not None
    assert after.signature.dataoff == before.signature.dataoff
    assert after.signature.datasize > before.signature.datasize  # the signature grew
    linker = before.superblob.code_directories[0].code_hashes
    sha1_cd, sha256_cd = after.superblob.code_directories
    assert sha256_cd.code_hashes[1:] == linker[1:]
    assert sha256_cd.code_hashes[0] != linker[0]
    assert sha1_cd.flags == sha256_cd.flags == 0  # linker-signed and ad-hoc flags dropped
    linkedit = after.segment("__LINKEDIT")
    assert linkedit is not None and linkedit.fileoff + linkedit.filesize == len(signed)
    path = tmp_path / "signed"
    path.write_bytes(signed)
    assert otool_signature(path) == (after.signature.dataoff, after.signature.datasize)
    assert check_code(signed, pki.root_pem, tmp_path / "check") == []


def test_unsigned_binary_gets_a_signature_command(
    tmp_path: Path, identity: Identity, pki: SigningPKI
) -> None:
    """A binary linked without a signature is given LC_CODE_SIGNATURE at the end of __LINKEDIT."""
    data = build_macho(tmp_path, "bare", signed=False)
    (before,) = parse_macho(data).slices
    assert before.signature is None
    signed = _sign(data, identity)
    (after,) = parse_macho(signed).slices
    assert after.signature is not None and after.signature.dataoff >= len(data)
    path = tmp_path / "signed"
    path.write_bytes(signed)
    assert otool_signature(path) == (after.signature.dataoff, after.signature.datasize)
    assert check_code(signed, pki.root_pem, tmp_path / "check") == []


def test_no_room_for_the_signature_command_is_refused(tmp_path: Path, identity: Identity) -> None:
    """When the bytes after the load commands are in use, the refusal is clean and names the reason."""
    data = bytearray(build_macho(tmp_path, "bare", signed=False))
    (piece,) = parse_macho(bytes(data)).slices
    end = piece.header_size + piece.sizeofcmds
    data[end : end + 16] = b"\xff" * 16  # as if a section began right after the load commands
    with pytest.raises(SigningError) as caught:
        _sign(bytes(data), identity)
    assert caught.value.code == "no-room-for-signature"
