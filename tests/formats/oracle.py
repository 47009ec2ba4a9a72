"""The shared fixtures and the oracle's answers (``expected.json``), loaded once for every test."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"
REAL = FIXTURES / "real"
APPLE_ROOT_FILE = FIXTURES / "trust" / "AppleIncRootCertificate.cer"


@cache
def expected() -> dict[str, Any]:
    """The oracle's facts about every real file (OpenSSL 3 and plistlib)."""
    data: dict[str, Any] = json.loads((REAL / "expected.json").read_text())
    return data


def profile_cases() -> list[tuple[str, dict[str, Any]]]:
    """(file name, oracle facts) for every real profile."""
    return sorted(expected()["profiles"].items())


def app_cases() -> list[tuple[str, dict[str, Any]]]:
    """(file name, oracle facts) for every real app."""
    return sorted(expected()["apps"].items())


def bad_app_cases() -> list[tuple[str, dict[str, Any]]]:
    """(file name, oracle description) for every broken app."""
    return sorted(expected()["bad-apps"].items())


def read(folder: str, name: str) -> bytes:
    """The bytes of one fixture file."""
    return (REAL / folder / name).read_bytes()
