"""Code signatures of iOS apps, read and verified the way iOS does it.

``structure`` is the hand-written ``struct`` reader of Mach-O slices, load commands, the
superblob and every CodeDirectory (its docstring says why it is hand-written, and holds
its API); ``store.formats.macho`` reads the signer and the entitlements through it. The
verifier: ``binary`` (one Mach-O: pages, special slots, iOS's version and DER rules),
``signature`` (the CMS over the CodeDirectories), ``seal`` (CodeResources against the
files), ``ios`` (teams, bundle ID prefixes, embedded profiles) and ``bundle``
(``verify_app``: every code item of an ``.ipa``, innermost first, in one pass).
"""

from __future__ import annotations

from store.formats.codesign.structure import (
    CodeDirectory,
    MachO,
    Slice,
    SuperBlob,
    is_macho,
    parse_code_directory,
    parse_macho,
    parse_superblob,
)

__all__ = [
    "CodeDirectory",
    "MachO",
    "Slice",
    "SuperBlob",
    "is_macho",
    "parse_code_directory",
    "parse_macho",
    "parse_superblob",
]
