"""What the fuzzer and the corpus feed bytes to: each reader an admin's file reaches, and from what.

A reader may raise ``ProvdeskError`` (``ParseError`` and its kin: one clear line) and
nothing else; :func:`run` is that rule, shared by ``make fuzz`` and the corpus replay.
:func:`seeds` lists the real files mutations start from: every profile and archive, and
inside each real app the members its readers parse (Info.plists, embedded profiles,
CodeResources, Mach-O binaries), each fed to the app reader (re-zipped, so the integrity
check sees it too) and to its own (a Mach-O to the signer reader and to the
code-signature verifier).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from store.errors import ProvdeskError
from store.formats import ERROR_CODES
from store.formats.codesign.binary import verify_macho
from store.formats.codesign.structure import MACHO_MAGICS
from store.formats.ipa import read_ipa
from store.formats.macho import read_code_signature
from store.formats.mobileprovision import read_mobileprovision
from tests.formats.oracle import REAL
from tests.fuzz import corpus

TARGETS: dict[str, Callable[[bytes], object]] = {
    "profile": read_mobileprovision,
    "ipa": read_ipa,
    "macho": read_code_signature,
    "codesign": lambda data: verify_macho(data, None),  # a loose Mach-O: pages, slots, CMS, chain
}


class UnclearError(AssertionError):
    """A ``ProvdeskError`` whose code is not in the table, or whose message is not one line."""

    def __init__(self, site: str, error: ProvdeskError) -> None:
        super().__init__(f"{site}: {error}")
        self.site = site


def run(target: str, data: bytes) -> str:
    """Feed ``data`` to ``target``: "ok" or the error code; any other exception propagates."""
    try:
        TARGETS[target](data)
    except ProvdeskError as error:
        if error.code not in ERROR_CODES:
            raise UnclearError(f"undocumented-code:{error.code}", error) from None
        if "\n" in error.message or "\n" in str(error):
            raise UnclearError(f"multi-line-message:{error.code}", error) from None
        return error.code
    return "ok"


_PARSED_MEMBERS = ("Info.plist", "embedded.mobileprovision", "CodeResources")


@dataclass(frozen=True)
class Seed:
    """A starting point: a fixture (and maybe one of its members) and the reader it goes to."""

    target: str
    fixture: str
    member: str | None = None


def seeds() -> list[Seed]:
    """Every starting point, in a stable order (a seed's index is part of a run's reproducibility)."""
    profiles = sorted((REAL / "profiles").iterdir())
    found = [Seed("profile", f"profiles/{p.name}") for p in profiles if p.stat().st_size]
    for folder in ("apps", "bad-apps"):
        found += [Seed("ipa", f"{folder}/{p.name}") for p in sorted((REAL / folder).iterdir())]
    for app in sorted((REAL / "apps").iterdir()):
        name = f"apps/{app.name}"
        for member, data in sorted(corpus.members(name).items()):
            parsed = member.endswith(_PARSED_MEMBERS) and ".storyboardc/" not in member
            if parsed or data[:4] in MACHO_MAGICS:
                found.append(Seed("ipa", name, member))
            if member.endswith("embedded.mobileprovision"):
                found.append(Seed("profile", name, member))
            if data[:4] in MACHO_MAGICS:
                found += [Seed("macho", name, member), Seed("codesign", name, member)]
    return found
