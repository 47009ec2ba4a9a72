"""The store: TinyDB behind one small repository API, safe for several admins on one host.

``from store.db import Store`` is the entry point; ``init_store`` and ``doctor`` make and
check a store directory. The on-disk layout and its JSON keys are in :mod:`store.db.schema`.
"""

from store.db.admin import doctor, init_store, is_harmless
from store.db.profiles import ImportOutcome
from store.db.store import Store

__all__ = ["ImportOutcome", "Store", "doctor", "init_store", "is_harmless"]
