"""A bundle's resource seal (``_CodeSignature/CodeResources``) checked against its files.

iOS refuses an app if any sealed file was added, changed or removed after signing
(0xe8008017), so this replays Security's ``validateResources``: ``files2``/``rules2`` when
present (else the v1 ``files``/``rules``), the exclusions the DiskRep adds on its own,
the matching rule of highest weight (on a tie ``omit`` wins, then plist order: what
reproduces Xcode's own seals), ``optional`` entries, ``nested`` directories, every hash
type of the signature's CodeDirectories, and symlinks that must stay inside the bundle.

Rule resolution is public (``read_rules``, ``excluded_from_seal``, ``winning_rule``): the
re-signer writes seals with it, so a seal it writes and the check of it cannot disagree.
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
_MAX_RULES = 64  # Xcode writes about a dozen
_NESTED_DEPTH = 8  # nested code sits a few folders down (Frameworks/X.framework/Versions/A/...)
_MAX_PATTERN = 1024
# A rule is a regular expression from the file, matched against every path: a pattern that
# backtracks (``^(a+)+$``, ``.*.*.*x``) would make one archive cost minutes. Xcode's rules
# are anchored (or start with ``.*``, searched from the start: the same on any path without a
# newline) and repeat at most one thing, never a group, so only that shape is matched.
_LITERALS = re.compile(r"\\.|\[\^?\]?[^\]]*\]")  # escapes and character classes: no repetition inside
_GROUP_REPEAT = re.compile(r"\)[*+{]")


@dataclass(frozen=True)
class FileFacts:
    """One archive entry as the seal sees it: a symlink's target, or the digests of a file."""

    symlink: str | None
    digests: Mapping[str, bytes]


class SealBudget:
    """Rule evaluations one app's seals may spend: far more than a real app needs (a few dozen
    per file), far less than rules x folders x nested seals of a hostile archive would take."""

    def __init__(self, files: int) -> None:
        self.left = 1_000_000 + 100 * files

    def spend(self, count: int) -> None:
        """Charge ``count`` evaluations; ``_Exhausted`` once the budget is gone."""
        self.left -= count
        if self.left < 0:
            raise _Exhausted


class _Exhausted(Exception):
    """The seals of this archive cost more than its size can justify."""


@dataclass(frozen=True)
class SealRule:
    """One ``rules``/``rules2`` entry: the path pattern, its weight and its flags."""

    pattern: re.Pattern[str]
    weight: float
    omit: bool
    optional: bool
    nested: bool


def read_rules(raw: Any) -> list[SealRule]:
    """The rules dict in plist order; a value of ``false`` omits, a dict sets weight and flags.

    ``ParseError`` for rules a hostile file could use to make matching slow (too many,
    too long, or a pattern that backtracks).
    """
    if not isinstance(raw, dict) or len(raw) > _MAX_RULES:
        raise ParseError("malformed-plist", "the seal's rules are not a dictionary of a sane size")
    rules = []
    for pattern, value in raw.items():
        if not isinstance(pattern, str) or len(pattern) > _MAX_PATTERN:
            raise ParseError("malformed-plist", "a seal rule is not a pattern")
        if not _tame(pattern):
            raise ParseError("malformed-plist", f"the seal rule {pattern[:40]!r} could backtrack without end")
        options = value if isinstance(value, dict) else {"omit": value is False}
        weight = options.get("weight", 1)
        try:
            compiled = re.compile(pattern if pattern.startswith("^") else "^" + pattern)
        except re.error:
            raise ParseError(
                "malformed-plist", f"the seal rule {pattern[:40]!r} is not a regular expression"
            ) from None
        rules.append(
            SealRule(
                compiled,
                float(weight) if isinstance(weight, int | float) else 1.0,
                options.get("omit") is True,
                options.get("optional") is True,
                options.get("nested") is True,
            )
        )
    return rules


def _tame(pattern: str) -> bool:
    """Anchored, at most one unbounded repeat, and no repeated group: linear to match."""
    bare = _LITERALS.sub("c", pattern)
    repeats = bare.count("*") + bare.count("+") + bare.count("{")
    return pattern.startswith(("^", ".*")) and repeats <= 1 and not _GROUP_REPEAT.search(bare)


def winning_rule(rules: list[SealRule], path: str, budget: SealBudget | None = None) -> SealRule | None:
    """The matching rule of highest weight; ``omit`` wins a tie, then the earlier rule.

    ``budget`` charges the work when the rules came from a file (the re-signer's own don't).
    """
    if budget is not None:
        budget.spend(len(rules))
    best: SealRule | None = None
    for rule in rules:
        if rule.pattern.search(path) and (
            best is None
            or rule.weight > best.weight
            or (rule.weight == best.weight and rule.omit and not best.omit)
        ):
            best = rule
    return best


def excluded_from_seal(path: str, executable: str) -> bool:
    """What the DiskRep excludes before any rule: the signature directory and the main executable."""
    top = path.split("/", 1)[0]
    return top in ("_CodeSignature", "_MASReceipt") or path in ("CodeResources", executable)


def _inside(link: str, target: str) -> bool:
    """Whether a relative symlink at ``link`` resolves to a path inside the bundle."""
    if target.startswith("/"):
        return False
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(link), target))
    return resolved != ".." and not resolved.startswith("../")


def _nested_root(
    path: str, rules: list[SealRule], budget: SealBudget, known: dict[str, bool]
) -> str | None:
    """The outermost directory of ``path`` that a ``nested`` rule makes one code item, if any.

    ``known`` remembers each directory's answer (files share their folders).
    """
    parts = path.split("/")[:-1][:_NESTED_DEPTH]
    for depth in range(1, len(parts) + 1):
        directory = "/".join(parts[:depth])
        if "." in parts[depth - 1]:
            if directory not in known:
                rule = winning_rule(rules, directory, budget)
                known[directory] = rule is not None and rule.nested and not rule.omit
            if known[directory]:
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
    budget: SealBudget | None = None,
) -> list[IntegrityProblem]:
    """Every added, modified and missing resource of one bundle, and symlinks leaving it.

    ``files`` maps paths relative to the bundle (``bundle`` is its archive path) to what
    was read; ``hash_names`` are the hash types of the bundle's CodeDirectories, each of
    which the seal must hold; ``nested_cdhashes`` the cdhashes of nested code by path.
    ``budget`` is shared by all the seals of one app (by default, one for this seal).
    """
    where = f"{bundle}/{SEAL_PATH}"
    try:
        plist = load_plist(seal_bytes)
        version2 = isinstance(plist.get("files2"), dict)
        listed = plist.get("files2" if version2 else "files")
        if not isinstance(listed, dict):
            raise ParseError("malformed-plist", "the seal lists no files")
        sealed: dict[str, Any] = {k: v for k, v in listed.items() if isinstance(k, str)}
        rules = read_rules(plist.get("rules2" if version2 else "rules"))
    except ParseError as error:
        return [_problem("seal-invalid", where, f"the resource seal cannot be read: {error.message}")]
    names = tuple(n for n in hash_names if n in _HASH_KEYS) if version2 else ("sha1",)
    try:
        spend = budget or SealBudget(len(files))
        return _judge(sealed, rules, bundle, files, executable, names, nested_cdhashes, spend)
    except _Exhausted:
        reason = "judging the seal over these files is more work than any app needs"
        return [_problem("seal-invalid", where, reason)]


def _judge(
    sealed: dict[str, Any],
    rules: list[SealRule],
    bundle: str,
    files: Mapping[str, FileFacts],
    executable: str,
    names: tuple[str, ...],
    nested_cdhashes: Mapping[str, frozenset[bytes]],
    budget: SealBudget,
) -> list[IntegrityProblem]:
    """:func:`check_seal` once the seal has been read."""
    known: dict[str, bool] = {}
    problems: list[IntegrityProblem] = []
    seen: set[str] = set()
    nested_seen: set[str] = set()
    for path in sorted(files):
        facts = files[path]
        if excluded_from_seal(path, executable):
            continue
        if facts.symlink is not None and not _inside(path, facts.symlink):
            problems.append(
                _problem(
                    "unsafe-symlink", f"{bundle}/{path}", f"the symlink leaves the bundle: {facts.symlink!r}"
                )
            )
        nested = _nested_root(path, rules, budget, known)
        if nested is not None:
            if nested not in nested_seen:
                nested_seen.add(nested)
                seen.add(nested)
                problems.extend(_nested(sealed.get(nested), bundle, nested, nested_cdhashes))
            continue
        rule = winning_rule(rules, path, budget)
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
        if path in seen:
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
