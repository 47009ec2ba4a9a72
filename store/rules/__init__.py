"""The expiry engine: pure functions of (fleet, now) that say who loses which app, when, and why."""
