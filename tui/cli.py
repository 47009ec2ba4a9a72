"""The ``provdesk`` command: with no verb it opens the console, with one it runs headless.

Verbs live in ``tui/commands/<area>.py``; each module exposes ``register(subparsers)``
and sets ``handler`` (``args -> exit code``) on its parsers. Textual is imported only
when the console opens, so cron jobs such as ``provdesk check`` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from typing import NoReturn

from store.errors import ProvdeskError
from tui import commands
from tui.commands.common import Context, add_global_options, print_error

EXIT_ERROR = 2


class UsageError(ProvdeskError):
    """A command line argparse refused (code ``usage``)."""


class ProvdeskParser(argparse.ArgumentParser):
    """argparse whose refusals are provdesk errors: ``provdesk: usage: ...``, exit 2 (JSON with --json)."""

    def error(self, message: str) -> NoReturn:
        """Raise instead of printing argparse's own two lines; ``main`` prints it like any error."""
        raise UsageError("usage", f"{message} (see '{self.prog} --help')")

# The order verbs appear in --help: the way an admin meets them, not the alphabet.
VERB_MODULES = (
    "inspect", "profiles", "apps", "groups", "assign", "trust",
    "timeline", "check", "preflight", "resign", "log", "export", "intune", "demo", "admin", "storecopy",
)

EXAMPLES = """\
examples:
  provdesk inspect Acme.mobileprovision App.ipa    read files, verify Apple's signature
  provdesk import Acme.mobileprovision --name "Acme 2027" --description "renewed"
  provdesk assign "Acme 2027" --include "All users" --exclude Executives
  provdesk timeline                                 each group's next break
  provdesk check --within 30                        for cron: exit 1 if anything breaks
  provdesk demo --store /tmp/demo && provdesk --store /tmp/demo

run 'provdesk VERB --help' for a verb's options."""


def build_parser() -> argparse.ArgumentParser:
    """The full parser: global options, console options, and every verb module found."""
    parser = ProvdeskParser(
        prog="provdesk",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Keyboard-driven console for iOS in-house provisioning profiles: which group "
            "loses which app, when, and what to do about it. Run without a verb to open "
            "the console."
        ),
    )
    add_global_options(parser, top=True)
    parser.add_argument("--no-mouse", action="store_true", help="do not capture the mouse (quieter over SSH)")
    parser.add_argument("--no-bell", action="store_true",
                        help="no terminal bell when a group turns critical or expired (the toast stays)")
    parser.add_argument(
        "--theme", choices=("default", "ansi16"), default=None,
        help="colour theme; ansi16 suits 16-colour terminals (NO_COLOR is honoured)",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    found = {info.name for info in pkgutil.iter_modules(commands.__path__)}
    ordered = [name for name in VERB_MODULES if name in found]
    for name in ordered + sorted(found - set(ordered)):
        module = importlib.import_module(f"{commands.__name__}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(verbs, lambda p: add_global_options(p, top=False))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(words)
    except UsageError as error:
        print_error(error, as_json="--json" in words)
        return EXIT_ERROR
    try:
        context = Context.from_args(args)
        if args.verb is None:
            from tui.app import run_console

            return int(run_console(context, mouse=not args.no_mouse, theme=args.theme, bell=not args.no_bell))
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.parse_args([args.verb, "--help"])
            return EXIT_ERROR
        return int(handler(args, context))
    except ProvdeskError as error:
        print_error(error, as_json=bool(getattr(args, "json", False)))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        from tui.commands.storeio import print_notices

        print_notices()


if __name__ == "__main__":
    sys.exit(main())
