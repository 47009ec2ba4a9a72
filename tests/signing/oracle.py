"""Independent checks of a re-signed archive: OpenSSL over each CodeDirectory, page hashes by hashlib.

Nothing here calls the signer's own builders: the superblob is read with the verifier's
structure reader, the CMS is checked by ``openssl cms -verify`` against the test CA, and
page hashes are recomputed with hashlib.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

from store.formats.codesign import is_macho, parse_code_directory, parse_macho

OPENSSL = "openssl"


def require_tool(name: str) -> str:
    """A tool the test needs: its path, or a failure (never a skip) naming it."""
    found = shutil.which(name)
    assert found, f"{name} is not installed: run `make test`, which installs it"
    return found


def openssl_verify_cd(
    cms_der: bytes, content: bytes, root_pem: bytes, work: Path
) -> subprocess.CompletedProcess[str]:
    """``openssl cms -verify -binary -content CD -purpose any -ignore_critical`` against the test CA."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "cms.der").write_bytes(cms_der)
    (work / "cd.bin").write_bytes(content)
    (work / "ca.pem").write_bytes(root_pem)
    return subprocess.run(
        [
            require_tool(OPENSSL),
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            str(work / "cms.der"),
            "-binary",
            "-content",
            str(work / "cd.bin"),
            "-CAfile",
            str(work / "ca.pem"),
            "-purpose",
            "any",
            "-ignore_critical",
            "-out",
            "/dev/null",
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def macho_members(path: Path) -> dict[str, bytes]:
    """Every Mach-O file in an archive, by name."""
    with zipfile.ZipFile(path) as archive:
        found = {}
        for info in archive.infolist():
            if info.is_dir():
                continue
            data = archive.read(info)
            if is_macho(data[:4]):
                found[info.filename] = data
        return found


def check_code(data: bytes, root_pem: bytes, work: Path) -> list[str]:
    """What is wrong with one signed Mach-O by the independent checks (empty when all hold)."""
    problems = []
    for index, piece in enumerate(parse_macho(data).slices):
        raw = data[piece.offset : piece.offset + piece.size]
        assert piece.superblob is not None and piece.signature is not None
        for cd in piece.superblob.code_directories:
            page = cd.page_size
            limit = cd.code_limit
            hashes = tuple(
                hashlib.new(cd.hash_name, raw[at : min(at + page, limit)]).digest()[: cd.hash_size]
                for at in range(0, limit, page)
            )
            if hashes != cd.code_hashes:
                problems.append(f"slice {index}: {cd.hash_name} page hashes differ")
            if limit != piece.signature.dataoff:
                problems.append(f"slice {index}: code limit is not the signature offset")
        cms = piece.superblob.blob(0x10000)
        primary = piece.superblob.blob(0)
        assert cms is not None and primary is not None
        result = openssl_verify_cd(cms[8:], primary, root_pem, work / f"slice{index}")
        if result.returncode != 0 or "Verification successful" not in result.stderr:
            problems.append(f"slice {index}: openssl: {result.stderr.strip()}")
        parse_code_directory(primary)
    return problems


__all__ = ["check_code", "macho_members", "openssl_verify_cd", "require_tool"]
