"""A bundle's resource seal (``_CodeSignature/CodeResources``) checked against its files.

iOS refuses an app if any sealed file was added, changed or removed after signing
(0xe8008017), so this replays Security's ``validateResources``: ``files2``/``rules2`` when
present (else the v1 ``files``/``rules``), the exclusions the DiskRep adds on its own,
the matching rule of highest weight (on a tie ``omit`` wins, then plist order: what
reproduces Xcode's own seals), ``optional`` entries, ``nested`` directories, every hash
type of the signature's CodeDirectories, and symlinks that must stay inside the bundle.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.errors import ParseError
from store.formats.plist import load_plist
from store.model import IntegrityProblem

SEAL_PATH = "_CodeSignature/CodeResources"
_HASH_KEYS = {"sha1": "hash", "sha256": "hash2", "sha384": "hash4"}
_MAX_RULES = 256
_MAX_PATTERN = 1024


@dataclass(frozen=True)
class FileFacts:
    """One archive entry as the seal sees it: a symlink's target, or the digests of a file."""

    symlink: str | None
    digests: Mapping[str, bytes]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    weight: float
    omit: bool
    optional: bool
    nested: bool


def _rules(raw: Any) -> list[_Rule]:
    """The rules dict in plist order; a value of ``false`` omits, a dict sets weight and flags."""
    if not isinstance(raw, dict) or len(raw) > _MAX_RULES:
        raise ParseError("malformed-plist", "the seal's rules are not a dictionary of a sane size")
    rules = []
    for pattern, value in raw.items():
        if not isinstance(pattern, str) or len(pattern) > _MAX_PATTERN:
            raise ParseError("malformed-plist", "a seal rule is not a pattern")
        options = value if isinstance(value, dict) else {"omit": value is False}
        weight = options.get("weight", 1)
        try:
            compiled = re.compile(pattern)
        except re.error:
            raise ParseError(
                "malformed-plist", f"the seal rule {pattern[:40]!r} is not a regular expression"
            ) from None
        rules.append(
            _Rule(
                compiled,
                float(weight) if isinstance(weight, int | float) else 1.0,
                options.get("omit") is True,
                options.get("optional") is True,
                options.get("nested") is True,
            )
        )
    return rules


def _best(rules: list[_Rule], path: str) -> _Rule | None:
    """The matching rule of highest weight; ``omit`` wins a tie, then the earlier rule."""
    best: _Rule | None = None
    for rule in rules:
        if rule.pattern.search(path) and (
            best is None
            or rule.weight > best.weight
            or (rule.weight == best.weight and rule.omit and not best.omit)
        ):
            best = rule
    return best


def _excluded(path: str, executable: str) -> bool:
    """What the DiskRep excludes before any rule: the signature directory and the main executable."""
    top = path.split("/", 1)[0]
    return top in ("_CodeSignature", "_MASReceipt") or path in ("CodeResources", executable)


def _inside(link: str, target: str) -> bool:
    """Whether a relative symlink at ``link`` resolves to a path inside the bundle."""
    if target.startswith("/"):
        return False
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(link), target))
    return resolved != ".." and not resolved.startswith("../")


def _nested_root(path: str, rules: list[_Rule]) -> str | None:
    """The outermost directory of ``path`` that a ``nested`` rule makes one code item, if any."""
    parts = path.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        directory = "/".join(parts[:depth])
        if "." in parts[depth - 1]:
            rule = _best(rules, directory)
            if rule is not None and rule.nested and not rule.omit:
                return directory
    return None


def _problem(code: str, where: str, message: str) -> IntegrityProblem:
    """A seal problem, named by its path in the archive."""
    return IntegrityProblem(code, where, message)


def _compare(entry: Any, facts: FileFacts, hash_names: tuple[str, ...]) -> str | None:
    """Why a sealed entry does not match the file on disk, or ``None`` when it does."""
    if isinstance(entry, bytes):
        entry = {"hash": entry}
    if not isinstance(entry, dict):
        return "its seal entry is unreadable"
    if "symlink" in entry:
        if facts.symlink is None:
            return "sealed as a symlink but is a file"
        return None if entry["symlink"] == facts.symlink else "the symlink points elsewhere than sealed"
    if facts.symlink is not None:
        return "sealed as a file but is a symlink"
    for name in hash_names:
        sealed = entry.get(_HASH_KEYS.get(name, ""), entry.get("hash") if name == "sha1" else None)
        if not isinstance(sealed, bytes):
            return f"the seal has no {name} hash for it"
        if facts.digests.get(name) != sealed:
            return "its contents differ from the seal"
    return None


def check_seal(
    seal_bytes: bytes,
    bundle: str,
    files: Mapping[str, FileFacts],
    executable: str,
    hash_names: tuple[str, ...],
    nested_cdhashes: Mapping[str, frozenset[bytes]],
) -> list[IntegrityProblem]:
    """Every added, modified and missing resource of one bundle, and symlinks leaving it.

    ``files`` maps paths relative to the bundle (``bundle`` is its archive path) to what
    was read; ``hash_names`` are the hash types of the bundle's CodeDirectories, each of
    which the seal must hold; ``nested_cdhashes`` the cdhashes of nested code by path.
    """
    where = f"{bundle}/{SEAL_PATH}"
    try:
        plist = load_plist(seal_bytes)
        version2 = isinstance(plist.get("files2"), dict)
        sealed = plist.get("files2" if version2 else "files")
        if not isinstance(sealed, dict):
            raise ParseError("malformed-plist", "the seal lists no files")
        rules = _rules(plist.get("rules2" if version2 else "rules"))
    except ParseError as error:
        return [_problem("seal-invalid", where, f"the resource seal cannot be read: {error.message}")]
    names = tuple(n for n in hash_names if n in _HASH_KEYS) if version2 else ("sha1",)
    problems: list[IntegrityProblem] = []
    seen: set[str] = set()
    nested_seen: set[str] = set()
    for path in sorted(files):
        facts = files[path]
        if _excluded(path, executable):
            continue
        if facts.symlink is not None and not _inside(path, facts.symlink):
            problems.append(
                _problem(
                    "unsafe-symlink", f"{bundle}/{path}", f"the symlink leaves the bundle: {facts.symlink!r}"
                )
            )
        nested = _nested_root(path, rules)
        if nested is not None:
            if nested not in nested_seen:
                nested_seen.add(nested)
                seen.add(nested)
                problems.extend(_nested(sealed.get(nested), bundle, nested, nested_cdhashes))
            continue
        rule = _best(rules, path)
        if rule is None or rule.omit:
            continue
        seen.add(path)
        if path not in sealed:
            problems.append(_problem("resource-added", f"{bundle}/{path}", "a file was added after signing"))
            continue
        reason = _compare(sealed[path], facts, names)
        if reason is not None:
            problems.append(
                _problem("resource-modified", f"{bundle}/{path}", f"the file was changed: {reason}")
            )
    for path, entry in sorted(sealed.items()):
        if path in seen or not isinstance(path, str):
            continue
        if isinstance(entry, dict) and entry.get("optional") is True:
            continue
        problems.append(_problem("resource-missing", f"{bundle}/{path}", "a sealed file is missing"))
    return problems


def _nested(
    entry: Any, bundle: str, path: str, nested_cdhashes: Mapping[str, frozenset[bytes]]
) -> list[IntegrityProblem]:
    """A nested code item sealed by cdhash (macOS-style seals): it must be listed and match."""
    where = f"{bundle}/{path}"
    if entry is None:
        return [_problem("resource-added", where, "nested code was added after signing")]
    cdhash = entry.get("cdhash") if isinstance(entry, dict) else None
    if not isinstance(cdhash, bytes) or cdhash not in nested_cdhashes.get(path, frozenset()):
        return [_problem("resource-modified", where, "the nested code is not the one sealed")]
    return []
