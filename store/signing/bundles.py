"""Which code an ``.ipa`` holds, and the order it must be signed in: innermost first.

A parent's seal hashes its children's final bytes, so every nested bundle (extension,
watch app, framework, test bundle) is signed before the bundle around it, and a bundle's
loose Mach-O files (``Frameworks/*.dylib``) before its seal and its own executable
(codesign.md §12.2 step 3).
"""

from __future__ import annotations

import plistlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from store.signing.archive import Entry
from store.signing.identity import SigningError

BundleKind = Literal["app", "appex", "framework", "xctest"]
_KINDS: dict[str, BundleKind] = {
    ".app": "app",
    ".appex": "appex",
    ".framework": "framework",
    ".xctest": "xctest",
}
SEAL_DIR = "_CodeSignature"


@dataclass(frozen=True)
class Bundle:
    """A bundle in the archive: its folder, kind, Info.plist and main executable."""

    path: str
    kind: BundleKind
    info: Mapping[str, Any]
    executable: str

    @property
    def bundle_id(self) -> str:
        """``CFBundleIdentifier`` (required of every bundle that is signed)."""
        return str(self.info.get("CFBundleIdentifier", ""))

    @property
    def takes_profile(self) -> bool:
        """Apps and extensions embed a profile; frameworks and test bundles do not."""
        return self.kind in ("app", "appex")

    def member(self, relative: str) -> str:
        """The archive name of a path relative to this bundle."""
        return f"{self.path}/{relative}"


def _kind(folder: str) -> BundleKind | None:
    """A bundle kind from a folder name's extension."""
    for suffix, kind in _KINDS.items():
        if folder.endswith(suffix):
            return kind
    return None


def _read_info(entries: Mapping[str, Entry], name: str) -> dict[str, Any]:
    """A bundle's Info.plist, refused in one line when unreadable."""
    data = entries[name].data or b""
    try:
        info = plistlib.loads(data)
    except Exception:
        raise SigningError("bad-info-plist", f"{name} is not a readable plist") from None
    if not isinstance(info, dict):
        raise SigningError("bad-info-plist", f"{name} is not a dictionary")
    return info


def find_bundles(entries: Mapping[str, Entry]) -> list[Bundle]:
    """Every bundle under ``Payload/<name>.app``, deepest first, the main app last."""
    apps = sorted({n.split("/")[1] for n in entries if n.startswith("Payload/") and n.count("/") >= 2})
    roots = [a for a in apps if a.endswith(".app")]
    if len(roots) != 1:
        raise SigningError("no-app-bundle", "the archive holds no single Payload/<name>.app bundle")
    root = f"Payload/{roots[0]}"
    bundles = []
    for name in entries:
        if not (
            name == f"{root}/Info.plist" or (name.startswith(root + "/") and name.endswith("/Info.plist"))
        ):
            continue
        folder = name[: -len("/Info.plist")]
        kind = _kind(folder)
        if kind is None:
            continue
        info = _read_info(entries, name)
        executable = str(info.get("CFBundleExecutable", ""))
        if not info.get("CFBundleIdentifier") or not executable or f"{folder}/{executable}" not in entries:
            if folder == root:
                raise SigningError("bad-info-plist", f"{root} names no executable or no bundle identifier")
            continue
        bundles.append(Bundle(folder, kind, info, executable))
    if not any(b.path == root for b in bundles):
        raise SigningError("missing-info-plist", f"{root} has no Info.plist")
    return sorted(bundles, key=lambda b: (-b.path.count("/"), b.path))


def owner(name: str, bundles: list[Bundle]) -> Bundle | None:
    """The innermost bundle holding archive member ``name``."""
    holders = [b for b in bundles if name.startswith(b.path + "/")]
    return max(holders, key=lambda b: len(b.path), default=None)


def loose_code(entries: Mapping[str, Entry], bundle: Bundle, bundles: list[Bundle]) -> list[str]:
    """Mach-O files of ``bundle`` itself (not of a nested bundle) other than its executable."""
    main = bundle.member(bundle.executable)
    return sorted(
        name
        for name, entry in entries.items()
        if entry.macho
        and name != main
        and owner(name, bundles) == bundle
        and not any(name == b.member(b.executable) for b in bundles)
    )


def members(entries: Mapping[str, Entry], changed: Mapping[str, bytes], bundle: Bundle) -> list[str]:
    """Every file (not folder) under ``bundle``, including the ones the re-sign adds."""
    prefix = bundle.path + "/"
    names = {n for n, e in entries.items() if n.startswith(prefix) and not e.info.is_dir()}
    return sorted(names | {n for n in changed if n.startswith(prefix)})


__all__ = [
    "SEAL_DIR",
    "Bundle",
    "find_bundles",
    "loose_code",
    "members",
    "owner",
]
