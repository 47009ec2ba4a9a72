"""One error type with a stable code, so every failure reaches an admin as one clear line.

Codes are part of the interface (scripts match on them); messages are for people.
"""

from __future__ import annotations


class ProvdeskError(Exception):
    """A failure a person can act on: ``code`` is stable, ``message`` is one line."""

    def __init__(self, code: str, message: str) -> None:
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
