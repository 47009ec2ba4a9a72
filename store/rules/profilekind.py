"""What kind of profile a file is, in the words an admin needs before importing it.

Intune's iOS provisioning profiles feature exists to keep in-house (enterprise) iOS apps
alive: a profile Apple issued for any device of the company. Ad hoc and development
profiles list their devices, App Store profiles only serve Apple's store, a macOS profile
serves no iPhone, and an expired one keeps nothing alive. They still import (the store
keeps what an admin asks it to), but the preview says what they are instead of "ready".
"""

from __future__ import annotations

from datetime import datetime

from store.model import Profile, iso

WHY = {
    "ad-hoc": "an ad hoc profile: the app runs only on the {devices} device(s) it lists, "
              "while Intune's feature serves in-house apps that run on every company device",
    "development": "a development profile: for debugging on the {devices} device(s) it lists, "
                   "not for distributing an app through Intune",
    "app-store": "an App Store profile: only Apple's App Store installs apps signed under it, "
                 "Intune's feature is for in-house apps",
}


def kind_notes(profile: Profile, now: datetime) -> list[str]:
    """Why this profile does not serve Intune's in-house feature (empty: it does)."""
    notes = []
    if profile.type in WHY:
        notes.append(WHY[profile.type].format(devices=profile.device_count))
    if "iOS" not in profile.platforms:
        shown = ", ".join(profile.platforms) or "no platform"
        notes.append(f"a {shown} profile, not iOS: "
                     "Intune's iOS provisioning profiles serve iPhones and iPads")
    if profile.expires <= now:
        notes.append(f"already expired on {iso(profile.expires)}: iOS refuses every app under it, "
                     "so assigning it keeps nothing alive")
    return notes
