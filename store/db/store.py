"""The one class the rest of provdesk talks to: ``Store``, the repository over a store directory.

It is assembled from one mixin per concern (profiles, apps, groups and assignments,
trust/settings/audit, re-signing, Intune) over :class:`~store.db.core.StoreCore`, which owns
opening, locking, snapshots and transactions, so each file stays small enough to read at once.
"""

from __future__ import annotations

from store.db.apps import AppsMixin
from store.db.groups import GroupsMixin
from store.db.intune import IntuneMixin
from store.db.profiles import ProfilesMixin
from store.db.resigns import ResignMixin
from store.db.trust import TrustMixin


class Store(ProfilesMixin, AppsMixin, GroupsMixin, TrustMixin, ResignMixin, IntuneMixin):
    """A provdesk store: ``Store.open(path, clock)`` then read ``fleet()`` or call a change verb.

    Every change verb runs as one locked, atomic, audited transaction; reads return
    consistent snapshots and ``has_changed()`` tells an open console to refresh.
    """
