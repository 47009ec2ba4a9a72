"""App integrity verification beside ``unzip -t`` on the same file.

Issue 11 asks that verifying an ``.ipa`` (every code signature, page hash, special slot,
CMS and chain, every sealed file inflated and hashed) take at most 1.5 times what
``unzip -t`` takes to inflate and CRC-check the same archive: the anchor is "just reading
the archive". Two kinds of input:

* the five real fixture apps (20 KB - 1 MB), each timed on its own, then all five in one
  pass (the certificate cache emptied once per pass, as a fleet import would see it);
* a large app: the real in-house Demo app padded with 200 MB of resources (half
  incompressible like media, half text-like), re-signed by ``provdesk resign``'s own code
  (``store.signing``: every bundle re-sealed and re-signed, innermost first, with a test
  identity and test profiles from ``tests.signing``, whose root is given as the anchor).

Our side is ``verify_app`` in this process on an archive opened in place, with the
certificate cache emptied before every run of one app (what repeats across a fleet, Apple's
intermediate checked against Apple's root, stays cached by fingerprint, as in the Profiles
bench, and the trust anchors the process holds, Apple's root among them, stay parsed);
``unzip -tqq`` runs as a process. Best of several runs each. On the small fixtures the
fixed cost of parsing each signature (CMS, the leaf and intermediate certificates, plists)
is the same size as all of ``unzip -t``'s work; on a real-sized app the inflating and
hashing dominate. Run: ``.venv/bin/python -m bench.apps``.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from bench.benchlib import figure, main_guard, timed
from store.formats.codesign.bundle import verify_app
from store.formats.ipa import _app_root
from store.formats.x509 import clear_cache
from store.formats.zipsafe import SafeZip
from store.model import TrustAnchor
from store.signing.identity import load_identity
from store.signing.resign import ResignRequest, resign
from store.signing.verify import verify_archive
from tests.signing.conftest import profiles_for
from tests.signing.identities import NOW, PASSWORD, make_pki

APPS = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures" / "real" / "apps"
TARGET = 1.5
PADDING = 200 * 1024 * 1024
FILE_SIZE = 4 * 1024 * 1024
ROOT = "Payload/Demo.app"
DEMO = APPS / "app_info__embedded.ipa"


def _verify(path: Path, anchors: Sequence[TrustAnchor], cold: bool = True) -> None:
    """One full verification (from a cold certificate cache); fails loudly if the app does not verify."""
    if cold:
        clear_cache()
    with SafeZip(path) as archive:
        verdict = verify_app(archive, _app_root(archive.names), anchors).integrity
    if anchors and not verdict.ok:
        raise AssertionError(f"the padded app does not verify: {verdict.problems[:3]}")


def _unzip_all(paths: Sequence[Path]) -> None:
    """The anchor: ``unzip -t`` (inflate and CRC-check every entry) on each file."""
    for path in paths:
        subprocess.run(["unzip", "-tqq", str(path)], check=True, stdout=subprocess.DEVNULL)


def _padding(index: int, rng: random.Random) -> bytes:
    """4 MB of resource: even files incompressible (media), odd ones text-like (JSON, strings)."""
    if index % 2 == 0:
        return rng.randbytes(FILE_SIZE)
    words = [rng.randbytes(6).hex() for _ in range(512)]
    line = '{"key": "%s", "value": "%s", "n": %d}\n'
    text = "".join(line % (rng.choice(words), rng.choice(words), i) for i in range(FILE_SIZE // 48))
    return text.encode()[:FILE_SIZE]


def padded_app(folder: Path) -> tuple[Path, TrustAnchor]:
    """The Demo app with 200 MB of resources, re-sealed and re-signed by ``provdesk resign``'s code."""
    pki = make_pki()
    rng = random.Random(11)
    unsigned = folder / "Demo-padded-unsigned.ipa"
    with (
        zipfile.ZipFile(DEMO) as source,
        zipfile.ZipFile(unsigned, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for i in range(PADDING // FILE_SIZE):
            target.writestr(f"{ROOT}/Assets/pad-{i:03d}.bin", _padding(i, rng))
    path = folder / "Demo-padded.ipa"
    identity = load_identity(pki.p12(), PASSWORD)
    resign(
        ResignRequest(unsigned, path, identity, profiles_for(pki, DEMO), [pki.anchor], NOW), verify_archive
    )
    unsigned.unlink()
    return path, pki.anchor


def _compare(label: str, ours: Callable[[], None], theirs: Callable[[], None], repeat: int) -> None:
    """Time both sides (best of ``repeat``) and print the figure."""
    ours()
    mine, anchor = timed(ours, repeat), timed(theirs, repeat)
    figure(
        "apps",
        f"verify {label}",
        mine,
        "s",
        f"<= {TARGET}x unzip -t",
        mine <= TARGET * anchor,
        "unzip -t",
        anchor,
    )


def _all(paths: Sequence[Path]) -> None:
    """The five real apps in one pass, the certificate cache emptied once (a fleet's import)."""
    clear_cache()
    for path in paths:
        _verify(path, (), cold=False)


def run() -> None:
    """Each real app, the five in one pass, then the padded one."""
    paths = sorted(APPS.iterdir())
    for path in paths:
        _compare(path.name, partial(_verify, path, ()), partial(_unzip_all, [path]), 15)
    _compare("the 5 real apps in one pass", partial(_all, paths), partial(_unzip_all, paths), 10)
    folder = Path(tempfile.mkdtemp(prefix="provdesk-bench-apps-"))
    try:
        path, anchor = padded_app(folder)
        label = f"Demo padded to 200 MB ({path.stat().st_size // 2**20} MiB zipped)"
        _compare(label, partial(_verify, path, [anchor]), partial(_unzip_all, [path]), 3)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main_guard(run)
