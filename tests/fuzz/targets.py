"""What the fuzzer and the corpus feed bytes to: each reader an admin's file reaches.

A reader may raise ``ProvdeskError`` (``ParseError`` and its kin: one clear line) and
nothing else; :func:`run` is that rule, shared by ``make fuzz`` and the corpus replay.
"""

from __future__ import annotations

from collections.abc import Callable

from store.errors import ProvdeskError
from store.formats import ERROR_CODES
from store.formats.ipa import read_ipa
from store.formats.macho import read_code_signature
from store.formats.mobileprovision import read_mobileprovision

TARGETS: dict[str, Callable[[bytes], object]] = {
    "profile": read_mobileprovision,
    "ipa": read_ipa,
    "macho": read_code_signature,
}


def run(target: str, data: bytes) -> str:
    """Feed ``data`` to ``target``: "ok" or the error code; any other exception propagates."""
    try:
        TARGETS[target](data)
    except ProvdeskError as error:
        if error.code not in ERROR_CODES or "\n" in error.message:
            raise AssertionError(f"undocumented code or multi-line message: {error}") from None
        return error.code
    return "ok"
