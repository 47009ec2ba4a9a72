"""What every verb shares: where the store is, what time it is, and how to print results.

Kept free of Textual so `provdesk check` in cron starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.clock import Clock, fixed_clock, system_clock
from store.errors import ProvdeskError
from store.model import parse_iso, to_json

STORE_ENV = "PROVDESK_STORE"
SETTINGS_FILE = "settings.toml"


def settings_path() -> Path:
    """``~/.config/provdesk/settings.toml`` on Linux: where ``store = "..."`` may name the store."""
    from platformdirs import user_config_path

    return user_config_path("provdesk") / SETTINGS_FILE


def default_store_path() -> str:
    """``PROVDESK_STORE``, else ``store`` in the settings file, else the per-user data directory.

    Any of them may be a directory or a ``postgresql://`` URL; the store decides which.
    """
    env = os.environ.get(STORE_ENV)
    if env:
        return env
    path = settings_path()
    try:
        raw = path.read_bytes()
    except OSError:
        raw = b""
    if raw:
        import tomllib

        try:
            configured = tomllib.loads(raw.decode()).get("store")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ProvdeskError("bad-settings", f"{path} is not valid TOML: {exc}") from None
        if configured is not None and not isinstance(configured, str):
            raise ProvdeskError("bad-settings", f"{path}: store must be a string (a directory or a URL)")
        if configured:
            return configured
    from platformdirs import user_data_path

    return str(user_data_path("provdesk"))


def parse_now(text: str) -> Clock:
    """``--now`` as a frozen clock; a bad date is a usage error, not a traceback."""
    try:
        moment = parse_iso(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 date and time: {text!r}") from exc
    assert moment is not None
    return fixed_clock(moment)


def whole_number(noun: str) -> Callable[[str], int]:
    """An argparse type for a count of ``noun`` (``--within DAYS``, ``--limit N``): zero or more,
    so a typo is a usage error rather than a negative slice or window."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number of {noun}: {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{noun} cannot be negative")
        return value
    return parse


def add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``--store``, ``--now`` and ``--json``: on the top parser with defaults, on verbs without.

    Verb parsers use ``SUPPRESS`` so that an option given before the verb is not reset by it.
    """
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--store", default=default, metavar="PATH|URL",
        help=f"the store: a directory, or a postgresql:// URL (default: ${STORE_ENV}, `store` in "
        "~/.config/provdesk/settings.toml, or the user data directory)",
    )
    parser.add_argument(
        "--now", type=parse_now, default=default, metavar="ISO-8601",
        help="freeze the clock at this UTC moment, e.g. 2026-11-29T12:00:00Z (scripts, tests, screenshots)",
    )
    parser.add_argument(
        "--json", action="store_true", default=False if top else argparse.SUPPRESS,
        help="print machine-readable JSON",
    )


@dataclass(frozen=True)
class Context:
    """The resolved global options one verb runs with."""

    store_path: str  # a directory or a postgresql:// URL: only store/db tells them apart
    clock: Clock
    json: bool

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        """Resolve ``--store``/``--now``/``--json`` (given or defaulted) for a verb."""
        return cls(
            store_path=args.store or default_store_path(),
            clock=args.now or system_clock,
            json=bool(args.json),
        )


def print_json(data: Any) -> None:
    """Model values as stable, indented JSON on stdout."""
    json.dump(to_json(data), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def print_lines(lines: Iterable[str]) -> None:
    """Human output, one fact per line."""
    for line in lines:
        sys.stdout.write(line + "\n")


def print_error(error: ProvdeskError, *, as_json: bool = False) -> None:
    """Every failure on stderr: ``provdesk: CODE: message``, or with ``--json`` the object
    ``{"error": {"code", "message"}}`` so a script parses errors as it parses results."""
    if as_json:
        sys.stderr.write(json.dumps({"error": error.as_json()}, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write(f"provdesk: {error.code}: {error.message}\n")


def emit(context: Context, data: Any, lines: Iterable[str]) -> None:
    """A verb's result: ``data`` as JSON under ``--json``, else the human ``lines``."""
    if context.json:
        print_json(data)
    else:
        print_lines(lines)
