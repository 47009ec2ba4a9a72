"""Reapply an admin's edit on top of a record someone else changed meanwhile.

When a console form's save is refused (``changed-underneath``), the admin may keep the
other change and put their own on top. "Their own" is what they changed relative to what
the form opened with, never the whole form: a group they did not touch keeps the other
admin's decision, a field they did not edit keeps the other admin's value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from store.model import Assignment

V = TypeVar("V")


def rebase_assignment(opened: Assignment, edited: Assignment, current: Assignment) -> Assignment:
    """``current`` with the groups the admin ticked or unticked since ``opened`` applied to it.

    A group ticked on one side leaves the other, as ``store.assign`` does.
    """
    added_inc, removed_inc = edited.include - opened.include, opened.include - edited.include
    added_exc, removed_exc = edited.exclude - opened.exclude, opened.exclude - edited.exclude
    include = ((current.include - removed_inc) - added_exc) | added_inc
    exclude = ((current.exclude - removed_exc) - added_inc) | added_exc
    return Assignment(current.target_kind, current.target, include, exclude, current.revision)


def rebase_fields(opened: Mapping[str, V], edited: Mapping[str, V], current: Mapping[str, V]) -> dict[str, V]:
    """``current`` with every field the admin changed since ``opened`` set to their value."""
    return {key: edited[key] if edited.get(key) != opened.get(key) else value
            for key, value in current.items()}
