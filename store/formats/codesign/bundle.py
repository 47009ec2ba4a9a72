"""An ``.ipa``'s app verified as iOS does: every code item innermost first, every seal, every file.

iOS refuses an app when any of its code (the app, each extension, watch app, framework
or loose dylib) fails its signature, when a sealed file changed, or when the pieces do
not belong together (teams, bundle ID prefixes, the embedded profile). Reading is two
steps over the archive, each byte inflated once: first each bundle's Info.plist, seal,
profile and main executable (whose CodeDirectories say which hashes the seal needs),
then every other entry streamed through exactly those hashes, Mach-O files kept whole
for their own check. Nothing but ``ParseError`` (from the archive itself) escapes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from store.errors import ParseError
from store.formats.codesign.binary import verify_macho
from store.formats.codesign.ios import CodeItem, identity_problems, profile_problems
from store.formats.codesign.seal import SEAL_PATH, FileFacts, SealBudget, check_seal
from store.formats.codesign.structure import SLOT_INFO, SLOT_RESOURCES, is_macho
from store.formats.mobileprovision import EMBEDDED_PROFILE, MAX_PROFILE_BYTES
from store.formats.plist import load_plist
from store.formats.zipsafe import MAX_ENTRY_BYTES, SafeZip
from store.model import BundleIntegrity, Integrity, IntegrityProblem, TrustAnchor

CODE_BUNDLES = (".app", ".appex", ".framework", ".xctest")
_SMALL = 8 * 1024 * 1024
_LINK_LIMIT = 4096


@dataclass(frozen=True)
class Verified:
    """The verdict, and the entries already inflated (so ``read_ipa`` reads no byte twice)."""

    integrity: Integrity
    kept: Mapping[str, bytes]


def _bundles(paths: Sequence[str]) -> list[str]:
    """Bundle directories (relative, ``""`` = the app) that hold an Info.plist, innermost first."""
    found = {""}
    for path in paths:
        head, _, name = path.rpartition("/")
        if name == "Info.plist" and head and head.rsplit("/", 1)[-1].endswith(CODE_BUNDLES):
            found.add(head)
    return sorted(found, key=lambda b: (-b.count("/") - bool(b), b))


def _join(bundle: str, name: str) -> str:
    """A path relative to the app, from one relative to a bundle."""
    return f"{bundle}/{name}" if bundle else name


def _enclosing(path: str, bundles: Container[str]) -> list[str]:
    """The bundles holding ``path``, innermost first: each parent folder looked up, so the
    work grows with the path's depth, not with the number of bundles (an archive can hold
    thousands)."""
    found = []
    head = path
    while "/" in head:
        head = head.rsplit("/", 1)[0]
        if head in bundles:
            found.append(head)
    if "" in bundles and path:
        found.append("")
    return found


class _Reader:
    """The archive entries under the app, read once each."""

    def __init__(self, archive: SafeZip, root: str) -> None:
        self.archive, self.root = archive, root
        self.paths = [
            n[len(root) + 1 :] for n in archive.names if n.startswith(root + "/") and not n.endswith("/")
        ]
        self.kept: dict[str, bytes] = {}
        self.facts: dict[str, FileFacts] = {}

    def read(self, path: str, limit: int = _SMALL) -> bytes | None:
        """One small entry, kept for later (``None`` when absent)."""
        name = f"{self.root}/{path}"
        if name not in self.archive:
            return None
        if name not in self.kept:
            self.kept[name] = self.archive.read(name, limit)
        return self.kept[name]

    def digest_all(self, hashes: Mapping[str, frozenset[str]], loose: dict[str, bytes]) -> None:
        """Every entry's facts for the seals, streaming what was not read yet; Mach-O kept in ``loose``."""
        for path in self.paths:
            name = f"{self.root}/{path}"
            wanted = hashes.get(path, frozenset())
            if self.archive.is_symlink(name):
                target = self.archive.read(name, _LINK_LIMIT).decode("utf-8", "replace")
                self.facts[path] = FileFacts(target, {})
                continue
            if name in self.kept:
                data = self.kept[name]
                self.facts[path] = FileFacts(None, {h: hashlib.new(h, data).digest() for h in wanted})
                if is_macho(data[:4]):
                    loose[path] = data
                continue
            hashers = [hashlib.new(h) for h in sorted(wanted)]
            chunks: list[bytes] = []
            macho: bool | None = None
            for chunk in self.archive.chunks(name):
                if macho is None:
                    macho = is_macho(chunk[:4])
                if macho:
                    chunks.append(chunk)
                for hasher in hashers:
                    hasher.update(chunk)
            self.facts[path] = FileFacts(None, {h.name: h.digest() for h in hashers})
            if chunks:
                loose[path] = b"".join(chunks)


def _problems(item: CodeItem, where: str) -> list[IntegrityProblem]:
    """A code report's problems, one per code and message, with the slices they hit."""
    found = []
    for (code, message), arches in item.report.problems.items():
        named = [a for a in arches if a]
        found.append(IntegrityProblem(code, where, f"{message} ({', '.join(named)})" if named else message))
    return found


def _parent(item: CodeItem, bundles: Sequence[str], items: Mapping[str, CodeItem]) -> CodeItem | None:
    """The app (or watch app) an extension or nested app lives in; ``None`` for the app itself."""
    if not item.bundle:
        return None
    apps = [b for b in _enclosing(item.bundle, set(bundles)) if not b or b.endswith(".app")]
    return items.get(apps[0])


def _info(data: bytes | None) -> dict[str, Any] | None:
    """A bundle's Info.plist, or ``None`` when it does not parse."""
    try:
        return load_plist(data) if data is not None else None
    except ParseError:
        return None


def verify_app(archive: SafeZip, root: str, anchors: Sequence[TrustAnchor] = ()) -> Verified:
    """Verify the app at ``root`` (``Payload/X.app``) and everything in it, innermost first."""
    reader = _Reader(archive, root)
    bundles = _bundles(reader.paths)
    items: dict[str, CodeItem] = {}
    problems: list[IntegrityProblem] = []
    executables: set[str] = set()
    for bundle in bundles:
        info_bytes = reader.read(_join(bundle, "Info.plist"))
        seal = reader.read(_join(bundle, SEAL_PATH))
        reader.read(_join(bundle, EMBEDDED_PROFILE), MAX_PROFILE_BYTES)
        info = _info(info_bytes)
        executable = info.get("CFBundleExecutable") if info is not None else None
        where = f"{root}/{bundle}" if bundle else root
        if not isinstance(executable, str) or reader.read(_join(bundle, executable), MAX_ENTRY_BYTES) is None:
            problems.append(
                IntegrityProblem("unsigned-code", where, "the bundle has no readable main executable")
            )
            continue
        executables.add(_join(bundle, executable))
        externals = {slot: data for slot, data in ((SLOT_INFO, info_bytes), (SLOT_RESOURCES, seal)) if data}
        report = verify_macho(reader.kept[f"{root}/{_join(bundle, executable)}"], externals, anchors)
        kind = bundle.rsplit(".", 1)[-1] if bundle else "app"
        items[bundle] = CodeItem(_join(bundle, executable), kind, report, bundle, info)
    hashes = {
        path: frozenset().union(*(items[b].report.hash_names for b in _enclosing(path, items)))
        for path in reader.paths
    }
    budget = SealBudget(len(reader.paths))  # shared by every seal of the app
    subtrees: dict[str, list[str]] = {bundle: [] for bundle in bundles}  # each bundle's paths
    for path in [*reader.paths, *items]:  # files, then the code bundles themselves
        for bundle in _enclosing(path, subtrees):
            subtrees[bundle].append(path)
    loose: dict[str, bytes] = {}
    reader.digest_all(hashes, loose)
    for path in sorted(set(loose) - executables, key=lambda p: (-p.count("/"), p)):
        kind = "dylib" if path.endswith(".dylib") else "mach-o"
        items[path] = CodeItem(path, kind, verify_macho(loose[path], None, anchors))
    app = items.get("")
    ordered = sorted(items.values(), key=lambda i: (-i.path.count("/"), i.path))
    results = []
    for item in ordered:
        where = f"{root}/{item.path}"
        found = _problems(item, where)
        if item.bundle is not None:
            found += _seal(reader, root, item, subtrees, items, budget)
            if item.kind in ("app", "appex"):
                data = reader.kept.get(f"{root}/{_join(item.bundle, 'embedded.mobileprovision')}")
                found += profile_problems(item, data, where)
        if app is not None:
            found += identity_problems(item, app, _parent(item, bundles, items), where)
        problems += found
        results.append(
            BundleIntegrity(
                where,
                item.kind,
                item.report.identifier,
                item.report.team,
                tuple(item.report.cdhashes),
                not found,
            )
        )
    return Verified(Integrity(not problems, tuple(problems), tuple(results)), reader.kept)


def _seal(
    reader: _Reader,
    root: str,
    item: CodeItem,
    subtrees: Mapping[str, list[str]],
    items: Mapping[str, CodeItem],
    budget: SealBudget,
) -> list[IntegrityProblem]:
    """The bundle's resource seal against the files under it (``subtrees``: each bundle's paths)."""
    assert item.bundle is not None
    bundle = item.bundle
    where = f"{root}/{bundle}" if bundle else root
    seal = reader.kept.get(f"{where}/{SEAL_PATH}")
    if seal is None:
        return [
            IntegrityProblem(
                "unsealed-bundle",
                where,
                "the bundle has no _CodeSignature/CodeResources: iOS refuses unsealed resources (0xe8008017)",
            )
        ]
    prefix = bundle + "/" if bundle else ""
    inside = subtrees[bundle]
    files = {p[len(prefix) :]: reader.facts[p] for p in inside if p in reader.facts}
    nested = {
        b[len(prefix) :]: frozenset(bytes.fromhex(c.cdhash) for c in items[b].report.cdhashes)
        for b in inside
        if b in items and items[b].bundle is not None
    }
    executable = item.path[len(prefix) :]
    hash_names = tuple(sorted(item.report.hash_names))
    return check_seal(seal, where, files, executable, hash_names, nested, budget)
