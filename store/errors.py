"""One error type with a stable code, so every failure reaches an admin as one clear line.

Codes are part of the interface (scripts match on them); messages are for people.
"""

from __future__ import annotations


def _one_line(message: str) -> str:
    """``message`` with line breaks and control characters escaped (``\\n``, ``\\x14``).

    Messages quote what a file holds (an archive's entry names can contain anything), and
    a message must stay the one line a script reads after the code.
    """
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


class ProvdeskError(Exception):
    """A failure a person can act on: ``code`` is stable, ``message`` is one line."""

    def __init__(self, code: str, message: str) -> None:
        message = _one_line(message)
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def as_json(self) -> dict[str, str]:
        """The ``{"code", "message"}`` object of every ``--json`` error."""
        return {"code": self.code, "message": self.message}


class ParseError(ProvdeskError):
    """A file could not be read as a profile or an app (the only exception readers raise)."""


class StoreError(ProvdeskError):
    """The store refused a change, or cannot be opened as it is."""


class RefError(StoreError):
    """A reference (UUID, name, bundle ID, group) matched nothing, or more than one thing."""


class ConflictError(StoreError):
    """A form's save found its record changed since the form read it (code ``changed-underneath``).

    ``current`` is the record as it stands now, ``changed_by`` / ``changed_at`` come from the
    latest audit event about it, so a console can show the new state and offer to reapply.
    """

    def __init__(self, message: str, current: object, changed_by: str | None, changed_at: object) -> None:
        super().__init__("changed-underneath", message)
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
