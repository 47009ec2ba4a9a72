"""Re-signing a large app: a real fixture padded to 200 MB of resources, beside ``zip -r`` of the same tree.

Issue 12 asks that re-signing an app with 200 MB of resources take at most twice what
``zip -r`` of the same tree takes: the floor, one read and one compression of every byte.
The app is the real ``Resigner__app.ipa`` (TLDR.app) with 100 resource files of 2 MB added
(three quarters random bytes, as images and fonts are, one quarter text), zipped by
``zip -r``. Our side is the whole re-sign as ``provdesk resign`` runs it: read and hash
every member, sign the executable, seal, write the archive (untouched members copied
raw), and verify the written archive with provdesk's integrity verification before it is
renamed into place. Test identities are made with real cryptography; nothing leaves loopback.

Run: ``.venv/bin/python -m bench.resign``.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from bench.benchlib import figure, main_guard, timed
from store.signing.identity import load_identity
from store.signing.resign import ResignRequest, resign
from store.signing.verify import verify_archive
from tests.signing.conftest import APPS, profiles_for
from tests.signing.identities import NOW, PASSWORD, make_pki

SOURCE = APPS / "Resigner__app.ipa"
FILES, FILE_BYTES = 100, 2 * 1024 * 1024
TARGET_RATIO = 2.0


def padded_tree(work: Path) -> Path:
    """The fixture unpacked with 200 MB of resources added; returns the folder holding Payload."""
    tree = work / "tree"
    with zipfile.ZipFile(SOURCE) as archive:
        archive.extractall(tree)
    app = next((tree / "Payload").glob("*.app"))
    rng = random.Random(12)
    text = b"".join(b"resource line %06d of a localized strings table\n" % i for i in range(12_000))
    for index in range(FILES):
        data = rng.randbytes(FILE_BYTES * 3 // 4) + text[: FILE_BYTES // 4]
        (app / "Assets" / f"pack{index // 10}").mkdir(parents=True, exist_ok=True)
        (app / "Assets" / f"pack{index // 10}" / f"resource-{index:03d}.bin").write_bytes(data)
    return tree


def zip_tree(tree: Path, target: Path) -> None:
    """``zip -qr`` of the tree (the floor: every byte read and compressed once)."""
    target.unlink(missing_ok=True)
    subprocess.run(["zip", "-qry", str(target), "Payload"], cwd=tree, check=True)


def run() -> None:
    """Build the padded app once, then time zip -r and the re-sign, best of two each."""
    if shutil.which("zip") is None:
        raise SystemExit("zip is not installed (make bench installs it)")
    with tempfile.TemporaryDirectory(prefix="provdesk-bench-resign-") as folder:
        work = Path(folder)
        tree = padded_tree(work)
        padded = work / "padded.ipa"
        zip_tree(tree, padded)
        floor = timed(lambda: zip_tree(tree, work / "floor.zip"), repeat=2)
        pki = make_pki()
        identity = load_identity(pki.p12(), PASSWORD)
        profiles = profiles_for(pki, padded)
        output = work / "resigned.ipa"

        def once() -> None:
            output.unlink(missing_ok=True)
            request = ResignRequest(padded, output, identity, profiles, [pki.anchor], NOW)
            resign(request, verify_archive)

        ours = timed(once, repeat=2)
        assert verify_archive(output, [pki.anchor], NOW).ok
        figure(
            "resign", "re-sign 200 MB app (verified)", ours, "s", f"<= {TARGET_RATIO:g}x zip -r",
            ours <= TARGET_RATIO * floor, "zip -r of the same tree", floor,
        )


if __name__ == "__main__":
    main_guard(run)
