"""The regression corpus: every input a fuzzer found, as a recipe, never as a copy of a file.

An entry names a real fixture under ``../shared/fixtures/real`` and the splices that turn
it into the finding (optionally inside one member of a zip, which is re-zipped around the
mutated member), or names a generator in :mod:`tests.fuzz.generators` that builds the
bytes. ``corpus.json`` holds the entries; ``make fuzz`` appends to it, and
``tests/fuzz/test_corpus.py`` replays every entry in ``make test``.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.formats.oracle import REAL
from tests.fuzz import generators

CORPUS = Path(__file__).with_name("corpus.json")
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
        original = (REAL / self.fixture).read_bytes()
        if self.member is None:
            return apply(original, self.splices)
        return replace_member(original, self.member, apply(read_member(original, self.member), self.splices))

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


def read_member(archive: bytes, member: str) -> bytes:
    """One member of a zip held in memory."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        return source.read(member)


def replace_member(archive: bytes, member: str, data: bytes) -> bytes:
    """The same zip with ``member``'s bytes replaced (every other entry copied as it was)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, data if info.filename == member else source.read(info))
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
