"""Profile reading at import scale: parse plus full verification, beside OpenSSL per file.

Issue 11 asks for at least 1,500 profiles a second in one process, and at least 8 times a
loop that runs ``openssl cms -verify`` once per file (the anchor: what an admin would
script), with the readers on the library path only (asn1crypto, plistlib, cryptography).
Two corpora of 1,000 files each, written to a temporary directory:

* ``real``: copies of the real Apple-signed profiles under ../shared/fixtures (iOS and
  macOS, 7-13 KB, SHA-1 signatures, chained to Apple Root CA): the issue's figure, held
  to both targets;
* ``distinct``: 1,000 different profiles made with ``store.demo`` (each with its own
  developer certificate, UUID and 100 devices, SHA-1 RSA like Apple's), chained to a test
  root given as the anchor, so no developer certificate repeats: a worst case the issue
  does not name, held to its 1,500 a second (its 8 times is said of the real profiles).

Our side reads each file and runs ``read_mobileprovision`` + ``require_trusted``
(CMS parse, messageDigest, signature, chain to the anchor, plist, every field). The
readers cache what repeats in a real fleet (Apple's intermediate verification by
fingerprint, parsed certificates); each timed pass starts with the certificate cache
emptied, and nothing caches a file's content or verdict. OpenSSL
verifies the same files with the same anchor (``-CAfile``, ``-no_check_time``, ``-purpose any``).

Run: ``.venv/bin/python -m bench.inspect``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.benchlib import figure, main_guard, timed
from store.formats.mobileprovision import read_mobileprovision, require_trusted
from store.formats.trust import anchor_from_pem
from store.formats.x509 import clear_cache
from store.model import TrustAnchor

COUNT = 1_000
FIXTURES = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures"
APPLE_ROOT = FIXTURES / "trust" / "AppleIncRootCertificate.cer"
TARGET_RATE, TARGET_RATIO = 1_500, 8


def real_corpus(folder: Path) -> list[Path]:
    """1,000 copies of the real profiles that verify to Apple Root CA."""
    sources = []
    for path in sorted((FIXTURES / "real" / "profiles").iterdir()):
        try:
            profile = read_mobileprovision(path.read_bytes())
        except Exception:
            continue
        if profile.signature == "valid" and profile.trust == "apple":
            sources.append(path.read_bytes())
    paths = []
    for index in range(COUNT):
        path = folder / f"real-{index:04d}.mobileprovision"
        path.write_bytes(sources[index % len(sources)])
        paths.append(path)
    return paths


def distinct_corpus(folder: Path) -> tuple[list[Path], bytes]:
    """1,000 distinct signed profiles under a test root; returns the paths and the root's PEM."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from store.demo import pki, signing

    start = datetime(2024, 1, 1, tzinfo=UTC)
    root = pki.make_root("Bench Root CA")
    intermediate = pki.make_intermediate(root, "Bench Certification Authority")
    signer = pki.make_leaf(
        intermediate, "Bench Profile Signing", kind="profile-signing",
        not_before=start, not_after=start + timedelta(days=3650),
    )
    team_key = pki.make_key()
    paths = []
    for index in range(COUNT):
        team = f"BENCH{index:05d}"
        cert = pki.make_leaf(
            intermediate, f"iPhone Distribution: Bench {index} ({team})", team, key=team_key,
            not_before=start, not_after=start + timedelta(days=1095),
        )
        data = signing.make_profile(
            signer, (intermediate.cert, root.cert), digest="sha1", signing_time=start + timedelta(days=1),
            name=f"Bench profile {index}", uuid=str(uuid.UUID(int=index + 1)), team_id=team,
            team_name=f"Bench {index}", app_id=f"com.bench.app{index}", app_id_name=f"Bench {index}",
            created=start + timedelta(days=1), expires=start + timedelta(days=366), certificates=[cert.cert],
            provisions_all_devices=False, devices=[f"{index:08x}-{d:016x}" for d in range(100)],
            entitlements={"get-task-allow": True},
        )
        path = folder / f"distinct-{index:04d}.mobileprovision"
        path.write_bytes(data)
        paths.append(path)
    return paths, root.cert.public_bytes(Encoding.PEM)


def ours(paths: list[Path], anchors: tuple[TrustAnchor, ...]) -> None:
    """Read and fully verify every file, certificate cache cold; any untrusted file stops the bench."""
    clear_cache()
    for path in paths:
        require_trusted(read_mobileprovision(path.read_bytes(), anchors))


def openssl(paths: list[Path], ca_file: Path) -> None:
    """``openssl cms -verify`` once per file, as a shell loop would; any failure stops the bench."""
    for path in paths:
        subprocess.run(
            ["openssl", "cms", "-verify", "-inform", "DER", "-in", str(path), "-CAfile", str(ca_file),
             "-purpose", "any", "-no_check_time", "-out", "/dev/null"],
            check=True, capture_output=True,
        )


def measure(
    name: str, paths: list[Path], anchors: tuple[TrustAnchor, ...], ca_file: Path, *, ratio: bool
) -> None:
    """One figure: our rate (best of five passes) beside OpenSSL's (one pass) on the same files."""
    ours(paths, anchors)  # warm up: imports, Apple root, first certificates
    rate = len(paths) / timed(lambda: ours(paths, anchors), repeat=5)
    anchor_rate = len(paths) / timed(lambda: openssl(paths, ca_file), repeat=1)
    target = f">= {TARGET_RATE}/s and >= {TARGET_RATIO}x openssl" if ratio else f">= {TARGET_RATE}/s"
    ok = rate >= TARGET_RATE and (not ratio or rate >= TARGET_RATIO * anchor_rate)
    figure("inspect", f"profiles_per_s_{name}", rate, "profiles/s", target, ok,
           "openssl cms -verify per file", anchor_rate)


def run() -> None:
    """Build both corpora in a temporary directory, measure, clean up."""
    if shutil.which("openssl") is None:
        raise SystemExit("openssl is not installed: the anchor cannot be measured")
    with tempfile.TemporaryDirectory(prefix="provdesk-bench-") as tmp:
        folder = Path(tmp)
        apple_pem = folder / "apple-root.pem"
        apple_pem.write_bytes(anchor_from_pem(APPLE_ROOT.read_bytes(), "Apple Root CA").pem.encode())
        measure("real", real_corpus(folder), (), apple_pem, ratio=True)
        paths, root_pem = distinct_corpus(folder)
        test_root = folder / "bench-root.pem"
        test_root.write_bytes(root_pem)
        measure("distinct", paths, (anchor_from_pem(root_pem, "Bench root"),), test_root, ratio=False)


if __name__ == "__main__":
    main_guard(run)
