"""Errors stay one line: a message quoting what a file holds cannot break the ``code: message`` form."""

from __future__ import annotations

from store.errors import ParseError, ProvdeskError


def test_line_breaks_and_control_characters_are_escaped() -> None:
    """A zip entry name may hold a newline or any control byte; the message shows them escaped."""
    error = ParseError("not-a-zip", "Payload/a\nb\x14c\u2028d.app cannot be decompressed")
    assert error.message == "Payload/a\\nb\\x14c\\u2028d.app cannot be decompressed"
    assert str(error) == f"not-a-zip: {error.message}"
    assert error.as_json() == {"code": "not-a-zip", "message": error.message}


def test_printable_text_is_kept_as_written() -> None:
    """Accents, symbols and spaces are not escaped: only what would break the line."""
    assert ProvdeskError("x", "Émile's app — 2 ✓").message == "Émile's app — 2 ✓"
