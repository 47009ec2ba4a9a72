"""Mach-O files built here by Debian's clang-14 and ld64.lld-14: code that no Apple tool touched.

``ld64.lld -adhoc_codesign`` writes its own ad-hoc signature with page hashes computed by
LLVM's implementation, an independent reference for the re-signer's. A ``main`` with no
imports links without an SDK (codesign.md §13). A missing tool fails the test (``make test``
installs them), it is never skipped.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Literal

from tests.signing.oracle import require_tool

SOURCE = "int helper(int x) { return x * 3 + 1; }\nint main(void) { return helper(2); }\n"


def build_macho(
    work: Path,
    name: str,
    *,
    kind: Literal["exe", "dylib"] = "exe",
    signed: bool = True,
    padding: int = 0,
) -> bytes:
    """An arm64 iOS executable or dylib, ad-hoc signed by the linker unless ``signed`` is false.

    ``padding`` adds that many bytes of constant data, so the code spans several pages.
    """
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"{name}.c"
    body = SOURCE
    if padding:
        body += f"const char blob[{padding}] = {{1, 2, 3}};\n"
    source.write_text(body)
    obj = work / f"{name}.o"
    subprocess.run(
        [
            require_tool("clang-14"),
            "-target",
            "arm64-apple-ios14.0",
            "-O1",
            "-c",
            str(source),
            "-o",
            str(obj),
        ],
        check=True,
        capture_output=True,
    )
    out = work / name
    command = [require_tool("ld64.lld-14"), "-arch", "arm64", "-platform_version", "ios", "14.0", "14.0"]
    command += ["-adhoc_codesign"] if signed else ["-no_adhoc_codesign"]
    if kind == "dylib":
        command += ["-dylib", "-install_name", f"@rpath/{name}.framework/{name}"]
    else:
        command += ["-e", "_main"]
    subprocess.run([*command, "-o", str(out), str(obj)], check=True, capture_output=True)
    return out.read_bytes()


def otool_signature(path: Path) -> tuple[int, int]:
    """``LC_CODE_SIGNATURE`` (dataoff, datasize) as llvm-otool reads it (another independent parser)."""
    listing = subprocess.run(
        [require_tool("llvm-otool-14"), "-l", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = listing.splitlines()
    at = next(i for i, line in enumerate(lines) if "cmd LC_CODE_SIGNATURE" in line)
    fields = dict(line.split()[:2] for line in lines[at + 1 : at + 4] if len(line.split()) >= 2)
    return int(fields["dataoff"]), int(fields["datasize"])


__all__ = ["build_macho", "otool_signature"]
