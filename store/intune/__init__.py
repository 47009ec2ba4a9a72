"""The Intune bridge: Microsoft Graph in, provdesk records out, and a renewed profile back.

Three rooms, one job each: :mod:`store.intune.graph` speaks HTTP (paging, retries,
errors, timeouts) and knows nothing of the model; :mod:`store.intune.mapping` turns Graph
objects into model records and back; :mod:`store.intune.plan` and
:mod:`store.intune.diff` decide what a pull or a push changes, as pure functions that
tests drive without HTTP. :mod:`store.intune.sync` wires them to the Store API.
"""
