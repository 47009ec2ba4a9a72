"""``make fuzz``: a seeded mutation fuzzer over the real fixtures, for a given time.

Usage: ``python -m tests.fuzz [--duration 5m] [--seed N] [--budget 1.0] [--dry-run]``.

Each execution takes a real file (a profile, an ``.ipa``, one member of an ``.ipa``:
Info.plist, embedded profile, CodeResources, a Mach-O), applies seeded mutations
(``mutations.py``) and feeds it to its reader (``targets.py``). A finding is any
exception other than ``ProvdeskError`` (warnings count: they are raised as errors;
``MemoryError`` too, the process being capped at 2 GiB), or CPU time over the budget
(one second; measured twice, so a busy machine is not blamed on the reader). Findings
are shrunk to the fewest splices that still reproduce them,
one per distinct failure site is appended to ``corpus.json``, and ``make test`` replays
them. The run ends by itself: at the deadline, and any single execution is stopped by an
alarm after 30 s (recorded as over budget); SIGTERM ends it early, summary included. The
last line is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import signal
import sys
import time
import traceback
import warnings
from collections import Counter
from dataclasses import dataclass
from types import FrameType

from tests.fuzz import corpus
from tests.fuzz.corpus import Finding, Splice
from tests.fuzz.mutations import mutate
from tests.fuzz.targets import UnclearError, run, seeds

_ALARM_SECONDS = 30
_MEMORY_LIMIT = 2 << 30  # address space: a reader that needs more on a fixture-sized input is a finding


class _Stalled(BaseException):
    """Raised by the alarm inside an execution that would not end (a ``BaseException``, so a
    reader's ``except Exception`` cannot swallow it; the alarm repeats until it gets out)."""


@dataclass(frozen=True)
class Outcome:
    """What one execution did: ``None`` when it was fine, else where and why it failed."""

    site: str
    why: str


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    """SIGALRM handler: abandon the execution in progress."""
    raise _Stalled


def _site(error: BaseException) -> str:
    """Where an exception was raised: its type and the innermost frame (file:line), for dedup."""
    if isinstance(error, UnclearError):
        return error.site
    frames = traceback.extract_tb(error.__traceback__)
    last = frames[-1] if frames else None
    where = f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}" if last else "?"
    return f"{type(error).__name__}@{where}"


def execute(target: str, data: bytes, budget: float) -> Outcome | None:
    """Run one input; an ``Outcome`` when it raised something else than ``ProvdeskError`` or ran long."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    started = time.process_time()
    signal.setitimer(signal.ITIMER_REAL, _ALARM_SECONDS, 1.0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            run(target, data)
    except _Stalled:
        return Outcome(f"stalled:{target}", f"ran over {_ALARM_SECONDS} s (stopped by the alarm)")
    except Exception as error:
        message = re.sub(r"\s+", " ", str(error))[:120]
        return Outcome(_site(error), f"{type(error).__name__}: {message}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    spent = time.process_time() - started
    if spent > budget:
        return Outcome(f"slow:{target}", f"{spent:.2f} s of CPU, over the {budget:g} s budget")
    return None


def _confirmed(target: str, data: bytes, budget: float, first: Outcome) -> Outcome | None:
    """The same failure again (a slow run must be slow twice: the machine may just be busy)."""
    again = execute(target, data, budget)
    return again if again is not None and again.site == first.site else None


def shrink(seed: Finding, splices: tuple[Splice, ...], budget: float, site: str) -> tuple[Splice, ...]:
    """Drop splices one at a time while the same failure still happens (at most one pass)."""
    kept = list(splices)
    index = 0
    while index < len(kept) and len(kept) > 1:
        trial = kept[:index] + kept[index + 1 :]
        candidate = Finding(seed.target, "", seed.fixture, seed.member, tuple(trial))
        outcome = execute(seed.target, candidate.build(), budget)
        if outcome is not None and outcome.site == site:
            kept = trial
        else:
            index += 1
    return tuple(kept)


def _duration(text: str) -> float:
    """``90``, ``90s``, ``5m`` or ``1h`` in seconds."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smh]?)", text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (try 300, 5m or 1h)")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def fuzz(
    seconds: float, seed: int, budget: float, save: bool, executions: int | None = None
) -> dict[str, object]:
    """Mutate and run until the deadline (or ``executions``); returns the summary printed at the end."""
    rng = random.Random(seed)
    pool = seeds()
    known = _known_sites()
    found: list[Finding] = []
    per_target: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    count = 0
    stop: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: stop.append(signum))
    while not stop and time.monotonic() < deadline and (executions is None or count < executions):
        origin = rng.choice(pool)
        member = origin.member
        base = corpus.members(origin.fixture)[member] if member else corpus.fixture(origin.fixture)
        splices = mutate(base, rng)
        candidate = Finding(origin.target, "", origin.fixture, origin.member, splices)
        outcome = execute(origin.target, candidate.build(), budget)
        count += 1
        per_target[origin.target] += 1
        if outcome is None or outcome.site in known:
            continue
        if _confirmed(origin.target, candidate.build(), budget, outcome) is None:
            continue
        known.add(outcome.site)
        shrunk = shrink(candidate, splices, budget, outcome.site)
        why = f"{outcome.site}: {outcome.why}"
        finding = Finding(origin.target, why, origin.fixture, origin.member, shrunk)
        found.append(finding)
        print("finding:", json.dumps(finding.as_json(), sort_keys=True), file=sys.stderr, flush=True)
        if save:
            corpus.save([*corpus.load(), finding])
    signal.signal(signal.SIGTERM, previous)
    return {"executions": count, "findings": len(found), "seconds": round(seconds, 1), "seed": seed,
            "stopped_early": bool(stop),
            "per_target": dict(per_target), "sites": [f.why for f in found]}


def _known_sites() -> set[str]:
    """Failure sites already in the corpus (a finding there is not new)."""
    return {f.why.split(": ", 1)[0] for f in corpus.load()}


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, fuzz, print the summary; exit 1 when something was found."""
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=_duration, default=300.0, help="how long to run (300, 5m, 1h)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock)")
    parser.add_argument("--budget", type=float, default=1.0, help="CPU seconds one input may take")
    parser.add_argument("--dry-run", action="store_true", help="report findings without adding them")
    args = parser.parse_args(argv)
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT, _MEMORY_LIMIT))
    seed = args.seed if args.seed is not None else time.time_ns() % (1 << 32)
    summary = fuzz(args.duration, seed, args.budget, save=not args.dry_run)
    print(json.dumps(summary, sort_keys=True), flush=True)
    return 1 if summary["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
