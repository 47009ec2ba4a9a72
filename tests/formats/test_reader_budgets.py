"""Hostile archives whose cost once grew faster than their size: each now reads in linear time.

A seal rule is a regular expression from the file matched against every path, and an
archive can hold thousands of bundles; these tests build such archives from a real app
and check the verdicts (a quadratic or exponential reader would not finish them).
"""

from __future__ import annotations

import io
import plistlib
import struct
import zipfile

import pytest

from store.errors import ParseError
from store.formats.codesign.seal import FileFacts, SealBudget, _tame, check_seal
from store.formats.ipa import read_ipa
from tests.formats.oracle import REAL

APP = REAL / "apps" / "fastlane__fastlane_core__very-capable-app.ipa"
ROOT = "Payload/very-capable-app.app"
THIN = struct.pack("<IiiIIIII", 0xFEEDFACF, 12, 0, 2, 0, 0, 0, 0)  # a Mach-O with no signature


def _app(extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    """The real app with members replaced and added."""
    out = io.BytesIO()
    with zipfile.ZipFile(APP) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(zipfile.ZipInfo(info.filename, info.date_time), body)
        for name, body in extra.items():
            target.writestr(name, body)
    return out.getvalue()


def test_a_seal_rule_that_would_backtrack_is_refused() -> None:
    """``^(a+)+$`` against a file named a...a! takes 2**40 steps; the seal is invalid instead."""
    with zipfile.ZipFile(APP) as source:
        seal = plistlib.loads(source.read(f"{ROOT}/_CodeSignature/CodeResources"))
    seal["rules2"]["^(a+)+$"] = {"weight": 5}
    report = read_ipa(_app(
        {f"{ROOT}/{'a' * 40}!": b"x"},
        {f"{ROOT}/_CodeSignature/CodeResources": plistlib.dumps(seal)},
    ))
    assert report.app.integrity is not None
    codes = {p.code for p in report.app.integrity.problems}
    assert "seal-invalid" in codes


@pytest.mark.parametrize(
    ("pattern", "tame"),
    [
        ("^.*", True), (".*\\.dSYM($|/)", True), ("^(.*/)?\\.DS_Store$", True), ("^[^/]+$", True),
        ("^(Frameworks|PlugIns|Library/(Automator|Spotlight))/", True), ("^Base\\.lproj/", True),
        ("^(a+)+$", False), ("^(a|a)*$", False), ("^.*.*x", False), ("a.*", False), ("^[a-z]+[0-9]+$", False),
    ],
)
def test_only_linear_rule_shapes_are_matched(pattern: str, tame: bool) -> None:
    """Xcode's own rules pass; nested or repeated repeats, and unanchored searches, do not."""
    assert _tame(pattern) is tame


def test_thousands_of_nested_bundles_each_get_their_verdict() -> None:
    """2,000 sealed extensions with unsigned executables: every one is named, in linear time."""
    seal = plistlib.dumps({"files": {}, "files2": {}, "rules": {"^.*": True}, "rules2": {"^.*": True}})
    extra: dict[str, bytes] = {}
    for index in range(2000):
        base = f"{ROOT}/PlugIns/p{index}.appex"
        info = {"CFBundleIdentifier": f"x.p{index}", "CFBundleExecutable": "x"}
        extra[f"{base}/Info.plist"] = plistlib.dumps(info)
        extra[f"{base}/x"] = THIN
        extra[f"{base}/_CodeSignature/CodeResources"] = seal
    report = read_ipa(_app(extra))
    assert report.app.integrity is not None
    unsigned = {p.path for p in report.app.integrity.problems if p.code == "unsigned-code"}
    assert {f"{ROOT}/PlugIns/p{i}.appex/x" for i in range(2000)} <= unsigned


def test_seals_share_one_budget_and_say_when_it_is_spent() -> None:
    """Once an app's seals have spent their rule evaluations, the next seal is invalid, not judged."""
    seal = plistlib.dumps({"files2": {}, "rules2": {"^.*": True, "^a": {"weight": 2}}})
    files = {f"f{i}": FileFacts(None, {}) for i in range(50)}
    budget = SealBudget(0)
    budget.left = 60  # 30 files' worth of two rules
    problems = check_seal(seal, "B.app", files, "B", ("sha256",), {}, budget)
    assert [p.code for p in problems] == ["seal-invalid"]
    assert [p.code for p in check_seal(seal, "B.app", files, "B", ("sha256",), {})] == ["resource-added"] * 50


def test_names_longer_than_ios_allows_are_unsafe() -> None:
    """A 2 KB entry name (iOS's PATH_MAX is 1024) is refused before anything reads it."""
    with pytest.raises(ParseError) as caught:
        read_ipa(_app({f"{ROOT}/{'a' * 2048}": b""}))
    assert caught.value.code == "unsafe-path"
