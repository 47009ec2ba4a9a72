"""The regression corpus: every input a fuzzer found, as a recipe, never as a copy of a file.

An entry names a real fixture under ``../shared/fixtures/real`` and the splices that turn
it into the finding, or names a generator in :mod:`tests.fuzz.generators` that builds the
bytes. With a ``member``, the splices apply to that member of the fixture's zip: a
target that reads archives gets the zip rebuilt around the mutated member (every member
stored, so rebuilding costs no compression), any other target gets the member itself.
``corpus.json`` holds the entries; ``make fuzz`` appends to it, and
``tests/fuzz/test_corpus.py`` replays every entry in ``make test``.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.formats.oracle import REAL
from tests.fuzz import generators

CORPUS = Path(__file__).with_name("corpus.json")
ARCHIVE_TARGETS = frozenset({"ipa"})  # targets fed whole archives; the rest get one member
Splice = tuple[int, int, bytes]  # at, bytes removed there, bytes put in their place


@dataclass(frozen=True)
class Finding:
    """One input that once crashed a reader or ran over its budget, and how to rebuild it."""

    target: str
    why: str
    fixture: str | None = None
    member: str | None = None
    splices: tuple[Splice, ...] = ()
    generator: str | None = None
    arguments: dict[str, int] = field(default_factory=dict)

    def build(self) -> bytes:
        """The finding's bytes, rebuilt from the fixture or the generator."""
        if self.generator is not None:
            return generators.GENERATORS[self.generator](**self.arguments)
        assert self.fixture is not None, "a finding needs a fixture or a generator"
        if self.member is None:
            return apply(fixture(self.fixture), self.splices)
        mutated = apply(members(self.fixture)[self.member], self.splices)
        return rebuilt(self.fixture, self.member, mutated) if self.target in ARCHIVE_TARGETS else mutated

    def as_json(self) -> dict[str, object]:
        """The entry as ``corpus.json`` stores it (splices as [at, removed, hex])."""
        entry: dict[str, object] = {"target": self.target, "why": self.why}
        if self.generator is not None:
            entry.update(generator=self.generator, arguments=self.arguments)
        else:
            entry["fixture"] = self.fixture
            if self.member is not None:
                entry["member"] = self.member
            entry["splices"] = [[at, removed, put.hex()] for at, removed, put in self.splices]
        return entry


def apply(data: bytes, splices: tuple[Splice, ...]) -> bytes:
    """``data`` with each splice applied in order (offsets past the end clamp to it)."""
    result = bytearray(data)
    for at, removed, put in splices:
        at = min(at, len(result))
        result[at : at + removed] = put
    return bytes(result)


@cache
def fixture(name: str) -> bytes:
    """A real fixture's bytes (read once per process: the fuzzer starts from them again and again)."""
    return (REAL / name).read_bytes()


@cache
def members(name: str) -> dict[str, bytes]:
    """Every file member of a fixture zip, decompressed once."""
    with zipfile.ZipFile(io.BytesIO(fixture(name))) as source:
        return {info.filename: source.read(info) for info in source.infolist() if not info.is_dir()}


def rebuilt(name: str, member: str, data: bytes) -> bytes:
    """The fixture zip's entries, in order, all stored, with ``member`` holding ``data``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(fixture(name))) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            stored = zipfile.ZipInfo(info.filename, info.date_time)
            stored.external_attr = info.external_attr
            body = b"" if info.is_dir() else data if info.filename == member else members(name)[info.filename]
            target.writestr(stored, body)
    return out.getvalue()


def load() -> list[Finding]:
    """Every entry of ``corpus.json``."""
    entries = json.loads(CORPUS.read_text())
    return [
        Finding(
            target=e["target"], why=e["why"], fixture=e.get("fixture"), member=e.get("member"),
            splices=tuple((at, removed, bytes.fromhex(put)) for at, removed, put in e.get("splices", [])),
            generator=e.get("generator"), arguments=e.get("arguments", {}),
        )
        for e in entries
    ]


def save(findings: list[Finding]) -> None:
    """Write the corpus back, one entry a line, so a new finding is a one-line diff."""
    lines = [json.dumps(f.as_json(), sort_keys=True) for f in findings]
    CORPUS.write_text("[\n" + ",\n".join(lines) + "\n]\n")
