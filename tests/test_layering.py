"""store/ stays headless: importing every module under it must not pull in textual or rich."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, pkgutil, sys
import store
for info in pkgutil.walk_packages(store.__path__, "store."):
    importlib.import_module(info.name)
import tui.cli
tui.cli.build_parser()
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(",".join(bad))
"""


def test_store_and_headless_cli_never_import_textual_or_rich() -> None:
    """The probe runs in a fresh interpreter so nothing already imported hides a leak."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
