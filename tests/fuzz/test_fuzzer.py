"""The fuzzer itself: mutations replay exactly, findings are caught and shrunk, the readers hold.

Planted targets are real functions (plistlib, a CPU burner, a byte-pattern check), so the
detection code is exercised on real exceptions and real CPU time.
"""

from __future__ import annotations

import plistlib
import random

import pytest

from store.errors import ParseError
from tests.fuzz import __main__ as fuzzer
from tests.fuzz import corpus, targets
from tests.fuzz.corpus import Finding
from tests.fuzz.mutations import mutate

PROFILE = "profiles/isign__test.mobileprovision"


def test_mutations_replay_exactly() -> None:
    """The same seed gives the same splices, and the splices rebuild the same bytes."""
    data = corpus.fixture(PROFILE)
    first = [mutate(data, random.Random(seed)) for seed in range(200)]
    again = [mutate(data, random.Random(seed)) for seed in range(200)]
    assert first == again
    assert len({corpus.apply(data, s) for s in first}) > 150
    assert all(1 <= len(s) <= 4 * 8 for s in first)


def test_rebuilt_archive_holds_the_mutated_member() -> None:
    """A member mutation re-zips the app with only that member changed."""
    app = "apps/fastlane__fastlane_core__very-capable-app.ipa"
    member = "Payload/very-capable-app.app/Info.plist"
    finding = Finding("ipa", "", app, member, ((0, 5, b"XXXXX"),))
    rebuilt = corpus.rebuilt(app, member, corpus.apply(corpus.members(app)[member], finding.splices))
    assert finding.build() == rebuilt
    assert targets.run("ipa", corpus.rebuilt(app, member, corpus.members(app)[member])) == "ok"
    assert targets.run("ipa", rebuilt) == "malformed-plist"


def test_an_exception_other_than_provdesk_error_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """plistlib's own exceptions are what a reader must never let out."""
    monkeypatch.setitem(targets.TARGETS, "raw-plistlib", plistlib.loads)
    outcome = fuzzer.execute("raw-plistlib", b"bplist00 not really", budget=1.0)
    assert outcome is not None and outcome.site.startswith("InvalidFileException@")
    assert fuzzer.execute("profile", b"bplist00 not really", budget=1.0) is None


def test_cpu_over_the_budget_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """An input that costs more CPU than the budget is reported as slow."""
    monkeypatch.setitem(targets.TARGETS, "burn", lambda data: sum(range(3_000_000)))
    outcome = fuzzer.execute("burn", b"", budget=0.001)
    assert outcome is not None and outcome.site == "slow:burn"


def test_shrinking_keeps_only_the_splice_that_matters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Of three splices, the one that plants the failing bytes is the one kept."""
    def needle(data: bytes) -> None:
        if b"\xde\xad\xbe\xef" in data:
            raise KeyError("needle")

    monkeypatch.setitem(targets.TARGETS, "needle", needle)
    splices = ((10, 1, b"a"), (100, 0, b"\xde\xad\xbe\xef"), (300, 2, b""))
    seed = Finding("needle", "", PROFILE, None, splices)
    outcome = fuzzer.execute("needle", seed.build(), budget=1.0)
    assert outcome is not None
    assert fuzzer.shrink(seed, splices, 1.0, outcome.site) == ((100, 0, b"\xde\xad\xbe\xef"),)


def test_a_short_run_over_every_reader_finds_nothing() -> None:
    """Four hundred seeded mutations across profiles, archives and Mach-O: only ProvdeskError."""
    summary = fuzzer.fuzz(seconds=600, seed=11, budget=5.0, save=False, executions=400)
    assert summary["executions"] == 400
    assert summary["findings"] == 0, summary["sites"]
    assert set(summary["per_target"]) == set(targets.TARGETS)  # type: ignore[arg-type]


def test_durations_parse() -> None:
    """``make fuzz DURATION=...`` accepts seconds, minutes and hours."""
    assert [fuzzer._duration(t) for t in ("90", "90s", "5m", "1h")] == [90, 90, 300, 3600]
    with pytest.raises(Exception, match="not a duration"):
        fuzzer._duration("soon")


def test_an_undocumented_code_is_a_finding_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ProvdeskError with a code the table lacks is reported under that code."""
    def undocumented(data: bytes) -> None:
        raise ParseError("no-such-code", "a code nobody documented")

    monkeypatch.setitem(targets.TARGETS, "undocumented", undocumented)
    outcome = fuzzer.execute("undocumented", b"", budget=1.0)
    assert outcome is not None and outcome.site == "undocumented-code:no-such-code"
