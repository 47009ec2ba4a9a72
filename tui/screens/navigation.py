"""Where Enter leads from a row: one place, so every list opens details the same way."""

from __future__ import annotations

from typing import Any

from textual.app import App


def open_profile(app: App[Any], uuid: str) -> None:
    """Push the detail of one profile."""
    from tui.screens.profile_detail import ProfileDetailScreen

    app.push_screen(ProfileDetailScreen(uuid))


def open_app(app: App[Any], bundle_id: str) -> None:
    """Push the detail of one app."""
    from tui.screens.app_detail import AppDetailScreen

    app.push_screen(AppDetailScreen(bundle_id))


def open_group(app: App[Any], name: str) -> None:
    """Push the detail of one group."""
    from tui.screens.group_detail import GroupDetailScreen

    app.push_screen(GroupDetailScreen(name))

