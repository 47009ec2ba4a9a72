"""``_CodeSignature/CodeResources``: the resource seal, regenerated with the rules Xcode writes (rule set A).

A re-signed bundle gets a new profile, so its seal must be rebuilt (``embedded.mobileprovision``
is sealed). The rules are the ones current Xcode writes for flat iOS bundles
(codesign.md §8.3 A): nested bundles are sealed file by file, there are no ``nested``
rules. The winning rule for a path (highest weight, ``omit`` on a tie, then rule order)
is decided by the verifier's own rule code. ``files`` (v1) holds SHA-1 only; ``files2``
holds SHA-1 and SHA-256 because the binary carries CodeDirectories of both types.
"""

from __future__ import annotations

import plistlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.formats.codesign.seal import excluded_from_seal, read_rules, winning_rule

RULES: dict[str, Any] = {
    "^.*": True,
    "^.*\\.lproj/": {"optional": True, "weight": 1000.0},
    "^.*\\.lproj/locversion.plist$": {"omit": True, "weight": 1100.0},
    "^Base\\.lproj/": {"weight": 1010.0},
    "^version.plist$": True,
}
RULES2: dict[str, Any] = {
    ".*\\.dSYM($|/)": {"weight": 11.0},
    "^(.*/)?\\.DS_Store$": {"omit": True, "weight": 2000.0},
    "^.*": True,
    "^.*\\.lproj/": {"optional": True, "weight": 1000.0},
    "^.*\\.lproj/locversion.plist$": {"omit": True, "weight": 1100.0},
    "^Base\\.lproj/": {"weight": 1010.0},
    "^Info\\.plist$": {"omit": True, "weight": 20.0},
    "^PkgInfo$": {"omit": True, "weight": 20.0},
    "^embedded\\.provisionprofile$": {"weight": 20.0},
    "^version\\.plist$": {"weight": 20.0},
}


@dataclass(frozen=True)
class FileDigest:
    """A regular file's SHA-1 and SHA-256."""

    sha1: bytes
    sha256: bytes


@dataclass(frozen=True)
class Symlink:
    """A symbolic link, sealed by its target text."""

    target: str


SealEntry = FileDigest | Symlink


# The rules are read and applied by the verifier's own code, so signing and checking cannot disagree.
_V1, _V2 = read_rules(RULES), read_rules(RULES2)


def code_resources(entries: Mapping[str, SealEntry], executable: str) -> bytes:
    """The CodeResources plist over a bundle's files (paths relative to the bundle root)."""
    files: dict[str, Any] = {}
    files2: dict[str, Any] = {}
    for path in sorted(entries):
        if excluded_from_seal(path, executable):
            continue
        entry = entries[path]
        v1, v2 = winning_rule(_V1, path), winning_rule(_V2, path)
        if isinstance(entry, Symlink):
            if v2 is not None and not v2.omit:
                files2[path] = {"symlink": entry.target}
            continue
        if v1 is not None and not v1.omit:
            files[path] = {"hash": entry.sha1, "optional": True} if v1.optional else entry.sha1
        if v2 is not None and not v2.omit:
            seal: dict[str, Any] = {"hash": entry.sha1, "hash2": entry.sha256}
            if v2.optional:
                seal["optional"] = True
            files2[path] = seal
    document = {"files": files, "files2": files2, "rules": RULES, "rules2": RULES2}
    return plistlib.dumps(document, fmt=plistlib.FMT_XML, sort_keys=True)


__all__ = ["RULES", "RULES2", "FileDigest", "SealEntry", "Symlink", "code_resources"]
