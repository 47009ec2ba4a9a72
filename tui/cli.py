"""The ``provdesk`` command: with no verb it opens the console, with one it runs headless.

Verbs live in ``tui/commands/<area>.py``; each module exposes ``register(subparsers)``,
sets ``handler`` (``args -> exit code``) on its parsers, and is listed in ``VERB_MODULES``.
Textual is imported only when the console opens, so cron jobs such as ``provdesk check``
start fast.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
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

# Each verb module and the verbs it registers, in the order --help shows them (the way an
# admin meets them, not the alphabet). A command imports only the modules its words name:
# importing all sixteen was a twentieth of a `timeline`. A test holds this to what they register.
VERB_MODULES: dict[str, tuple[str, ...]] = {
    "inspect": ("inspect",), "profiles": ("import", "profiles", "show", "delete", "prune"),
    "apps": ("app", "apps"), "groups": ("group", "groups"), "assign": ("assign",), "trust": ("trust",),
    "timeline": ("timeline",), "check": ("check",), "preflight": ("preflight",), "resign": ("resign",),
    "log": ("log",), "export": ("export",), "intune": ("intune",), "demo": ("demo",),
    "admin": ("init", "doctor", "settings"), "storecopy": ("store",),
}
HELP_WORDS = frozenset({"-h", "--help"})


def verb_modules(words: Sequence[str] | None) -> list[str]:
    """The verb modules a command line needs: those naming one of its words, or all of them.

    Every word is matched (a store directory called ``check`` is harmless: one more module),
    and help, an unknown verb or no verb at all gets every module, so argparse can list them.
    """
    if words is None or HELP_WORDS & set(words):
        return list(VERB_MODULES)
    named = [name for name, verbs in VERB_MODULES.items() if any(word in verbs for word in words)]
    return named or list(VERB_MODULES)


EXAMPLES = """\
examples:
  provdesk inspect Acme.mobileprovision App.ipa    read files, verify Apple's signature
  provdesk import Acme.mobileprovision --name "Acme 2027" --description "renewed"
  provdesk assign "Acme 2027" --include "All users" --exclude Executives
  provdesk timeline                                 each group's next break
  provdesk check --within 30                        for cron: exit 1 if anything breaks
  provdesk demo --store /tmp/demo && provdesk --store /tmp/demo

run 'provdesk VERB --help' for a verb's options."""


def build_parser(words: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``words``: global and console options, and the verbs they need (all by default)."""
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
    for name in verb_modules(words):
        module = importlib.import_module(f"{commands.__name__}.{name}")
        module.register(verbs, lambda p: add_global_options(p, top=False))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
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
        # A verb is one short process. Full collections rescan every document of the store it
        # loaded, a fifth of a big store's `timeline`; young garbage is still collected.
        gc.set_threshold(700, 10, 1_000_000)
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
