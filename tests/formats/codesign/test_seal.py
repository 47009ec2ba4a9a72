"""The seal rules on their own: weights, omit winning a tie, optional, nested code, v1 seals."""

from __future__ import annotations

import hashlib
import plistlib
from typing import Any

from store.formats.codesign.seal import FileFacts, check_seal


def _facts(data: bytes) -> FileFacts:
    return FileFacts(None, {"sha1": hashlib.sha1(data).digest(), "sha256": hashlib.sha256(data).digest()})


def _seal(files2: dict[str, Any], rules2: dict[str, Any], files: dict[str, Any] | None = None) -> bytes:
    plist: dict[str, Any] = {"files": files or {}, "rules": {"^.*": True}, "rules2": rules2}
    if files2 is not None:
        plist["files2"] = files2
    return plistlib.dumps(plist)


def _codes(
    seal: bytes,
    files: dict[str, FileFacts],
    nested: dict[str, frozenset[bytes]] | None = None,
    hashes: tuple[str, ...] = ("sha256",),
) -> list[tuple[str, str]]:
    found = check_seal(seal, "B.app", files, "B", hashes, nested or {})
    return [(p.code, p.path) for p in found]


XCODE_B = {
    "^": {"weight": 20},
    "^.*": True,
    "^Info\\.plist$": {"omit": True, "weight": 20},
    "^(Frameworks|PlugIns)/": {"nested": True, "weight": 10},
}


def test_omit_wins_a_tie_and_the_executable_and_signature_dir_are_excluded() -> None:
    """Xcode's rule set B: Info.plist ties '^' at weight 20 and is not sealed."""
    files = {
        "Info.plist": _facts(b"i"),
        "B": _facts(b"exe"),
        "_CodeSignature/CodeResources": _facts(b"s"),
        "a.png": _facts(b"a"),
    }
    seal = _seal({"a.png": {"hash2": hashlib.sha256(b"a").digest()}}, XCODE_B)
    assert _codes(seal, files) == []


def test_every_hash_type_of_the_signature_is_required() -> None:
    """A SHA-1 + SHA-256 signature needs hash and hash2; a seal with hash2 only is not enough."""
    seal = _seal({"a.png": {"hash2": hashlib.sha256(b"a").digest()}}, {"^.*": True})
    assert _codes(seal, {"a.png": _facts(b"a")}, hashes=("sha1", "sha256")) == [
        ("resource-modified", "B.app/a.png")
    ]


def test_optional_entries_may_be_missing() -> None:
    seal = _seal(
        {"x.strings": {"hash2": b"0" * 32, "optional": True}, "y": {"hash2": b"1" * 32}}, {"^.*": True}
    )
    assert _codes(seal, {}) == [("resource-missing", "B.app/y")]


def test_nested_code_is_sealed_by_cdhash() -> None:
    """Rule set C: a nested directory with a dot is one item, matched by its code's cdhash."""
    rules = {"^.*": True, "^Frameworks/": {"nested": True, "weight": 10}}
    files = {"Frameworks/F.framework/F": _facts(b"f"), "Frameworks/F.framework/Info.plist": _facts(b"i")}
    good = _seal({"Frameworks/F.framework": {"cdhash": b"c" * 20, "requirement": "x"}}, rules)
    assert _codes(good, files, {"Frameworks/F.framework": frozenset({b"c" * 20})}) == []
    assert _codes(good, files, {"Frameworks/F.framework": frozenset({b"d" * 20})}) == [
        ("resource-modified", "B.app/Frameworks/F.framework")
    ]


def test_a_version_1_seal_uses_files_and_sha1() -> None:
    plist = {"files": {"a.png": hashlib.sha1(b"a").digest()}, "rules": {"^.*": True}}
    assert _codes(plistlib.dumps(plist), {"a.png": _facts(b"a")}) == []
    assert _codes(plistlib.dumps(plist), {"a.png": _facts(b"b")}) == [("resource-modified", "B.app/a.png")]


def test_symlinks_are_sealed_by_target_and_must_stay_inside() -> None:
    seal = _seal(
        {"l": {"symlink": "a.png"}, "a.png": {"hash2": hashlib.sha256(b"a").digest()}}, {"^.*": True}
    )
    inside = {"l": FileFacts("a.png", {}), "a.png": _facts(b"a")}
    assert _codes(seal, inside) == []
    moved = {"l": FileFacts("../a.png", {}), "a.png": _facts(b"a")}
    assert _codes(seal, moved) == [("unsafe-symlink", "B.app/l"), ("resource-modified", "B.app/l")]


def test_an_unreadable_seal_is_one_problem() -> None:
    assert _codes(b"not a plist", {}) == [("seal-invalid", "B.app/_CodeSignature/CodeResources")]
    bad_rule = _seal({}, {"([": True})
    assert _codes(bad_rule, {}) == [("seal-invalid", "B.app/_CodeSignature/CodeResources")]
