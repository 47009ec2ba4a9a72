"""Reusable pieces of the console: each declares its own messages and key bindings."""
