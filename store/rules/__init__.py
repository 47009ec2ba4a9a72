"""The expiry engine: pure functions of (fleet, now) that say who loses which app, when, and why.

``assignment`` (which groups an assignment reaches, as Intune resolves it), ``preflight``
(iOS's launch checks, profile against app), ``timeline`` (each group's countdown),
``suggestions`` (profiles that would carry an app further), ``effect`` (what an
assignment would change). ``entitlements``, ``index`` and ``coverage`` serve them;
``appid`` is shared with the readers. No I/O, no clock: callers pass ``now``.
"""
