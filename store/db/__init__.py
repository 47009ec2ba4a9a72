"""The store: one small repository API over two engines, TinyDB files on one host or PostgreSQL.

``from store.db import Store`` is the entry point (``Store.open`` takes a directory or a
``postgresql://`` URL); ``init_store`` and ``doctor`` make and check a store. The directory
layout is in :mod:`store.db.schema`, the database's in :mod:`store.db.postgres.sql`;
:mod:`store.db.engine` is the seam between the repository mixins and the engines.
"""

from store.db.admin import doctor, init_store, is_harmless
from store.db.profiles import ImportOutcome
from store.db.store import Store

__all__ = ["ImportOutcome", "Store", "doctor", "init_store", "is_harmless"]
