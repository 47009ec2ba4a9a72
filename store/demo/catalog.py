"""What the demo world contains, as plain data: companies, profiles, apps, groups, assignments.

Kept apart from the code that builds it (``dataset.py``) so the story is easy to read and
to change. Every date is an offset from "now", so the demo always looks alive: some
profiles have expired, some break within the hour, the week, the month, most later.
The companies are fictional; their certificates chain to a demo root, never to Apple.

The story the console should tell:
- Harbor Logistics' distribution certificate expires in 23 days. It renewed 12 days ago;
  new profiles list both certificates, but Field Service is still signed with the old
  one, so only re-signing saves it (a new profile will not).
- Warehouse Scan's profile expires within the hour; a renewal is uploaded but not assigned.
- Expenses is assigned to All users excluding the device group Kiosk iPads: a mistake,
  since a device-group exclusion under All users excludes nobody.
- Ward Rounds and Sales Deck have newer profiles rolled out to only some groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from store.model import ALL_DEVICES, ALL_USERS, GroupKind, TargetKind

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class CompanySpec:
    """A fictional in-house developer: its team and how far into its certificate's 3 years it is."""

    key: str
    name: str
    team_id: str
    cert_age: timedelta
    renewed_ago: timedelta | None = None


@dataclass(frozen=True)
class ProfileSpec:
    """One enterprise profile: app ID (without team prefix), expiry offset, certificates it lists."""

    key: str
    company: str
    app_id: str
    app_id_name: str
    name: str
    expires_in: timedelta
    certs: str = "current"  # "current", "renewed" or "both" (Harbor only has a renewal)
    digest: str = "sha256"
    display_name: str = ""
    description: str = ""


@dataclass(frozen=True)
class AppSpec:
    """An app added by hand: bundle ID, name, the profile it ships with, the certificate it is signed with."""

    bundle_id: str
    name: str
    profile: str
    cert: str = "current"


@dataclass(frozen=True)
class AssignmentSpec:
    """Included and excluded groups of a profile (by key) or an app (by bundle ID)."""

    target_kind: TargetKind
    target: str
    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()


COMPANIES = (
    CompanySpec("harbor", "Harbor Logistics, Inc.", "H7RB2L9Q4X", 3 * 365 * DAY - 23 * DAY, 12 * DAY),
    CompanySpec("bluefin", "Bluefin Health Partners", "B3FN8H5K2W", 425 * DAY),
    CompanySpec("juniper", "Juniper Retail Group", "J9PR4T6M1C", 3 * 365 * DAY - 182 * DAY),
)

PROFILES = (
    ProfileSpec("hb-field-2024", "harbor", "com.harborlogistics.fieldservice", "Field Service",
                "Harbor Field Service 2024", -45 * DAY, digest="sha1"),
    ProfileSpec("hb-field-2025", "harbor", "com.harborlogistics.fieldservice", "Field Service",
                "Harbor Field Service 2025", 22 * DAY, display_name="Field Service (production)",
                description="Current Field Service profile for all staff except executives."),
    ProfileSpec("hb-field-2026", "harbor", "com.harborlogistics.fieldservice", "Field Service",
                "Harbor Field Service 2026", 358 * DAY, certs="both",
                display_name="Field Service (2026 renewal)",
                description="Lists the old and the renewed certificate; rolled out to field techs first."),
    ProfileSpec("hb-scan", "harbor", "com.harborlogistics.scanner", "Warehouse Scan",
                "Harbor Warehouse Scan", 40 * MINUTE, description="Scanner handhelds in both warehouses."),
    ProfileSpec("hb-scan-2026", "harbor", "com.harborlogistics.scanner", "Warehouse Scan",
                "Harbor Warehouse Scan 2026", 362 * DAY, certs="renewed",
                description="Uploaded, not yet assigned."),
    ProfileSpec("hb-dispatch", "harbor", "com.harborlogistics.dispatch", "Dispatch",
                "Harbor Dispatch", 4 * DAY),
    ProfileSpec("hb-kiosk", "harbor", "com.harborlogistics.kiosk", "Kiosk Check-in",
                "Harbor Kiosk Check-in", 16 * DAY, description="Lobby check-in iPads."),
    ProfileSpec("hb-wild", "harbor", "com.harborlogistics.*", "Harbor Wildcard",
                "Harbor In-House Wildcard", 5 * HOUR, display_name="Harbor wildcard (all apps)"),
    ProfileSpec("hb-wild-2026", "harbor", "com.harborlogistics.*", "Harbor Wildcard",
                "Harbor In-House Wildcard 2026", 355 * DAY, certs="both"),
    ProfileSpec("hb-legacy", "harbor", "com.harborlogistics.legacy.*", "Legacy Tools",
                "Harbor Legacy Tools", -200 * DAY, digest="sha1",
                description="Retired; kept for the record."),
    ProfileSpec("bf-rounds", "bluefin", "com.bluefinhealth.rounds", "Ward Rounds",
                "Bluefin Ward Rounds", 2 * DAY, display_name="Ward Rounds (production)"),
    ProfileSpec("bf-rounds-2026", "bluefin", "com.bluefinhealth.rounds", "Ward Rounds",
                "Bluefin Ward Rounds 2026", 300 * DAY, description="Pilot with Engineering before rollout."),
    ProfileSpec("bf-expenses", "bluefin", "com.bluefinhealth.expenses", "Expenses",
                "Bluefin Expenses", 6 * DAY, description="Everyone except the lobby kiosks (see warning)."),
    ProfileSpec("bf-expenses-old", "bluefin", "com.bluefinhealth.expenses", "Expenses",
                "Bluefin Expenses (old)", -3 * DAY, digest="sha1"),
    ProfileSpec("bf-badge", "bluefin", "com.bluefinhealth.badge", "Badge Access",
                "Bluefin Badge Access", 27 * DAY),
    ProfileSpec("bf-oncall", "bluefin", "com.bluefinhealth.oncall", "On-Call",
                "Bluefin On-Call", 120 * DAY, digest="sha1"),
    ProfileSpec("bf-wild", "bluefin", "com.bluefinhealth.*", "Bluefin Wildcard",
                "Bluefin In-House Wildcard", 210 * DAY),
    ProfileSpec("bf-wild-2024", "bluefin", "com.bluefinhealth.*", "Bluefin Wildcard",
                "Bluefin In-House Wildcard 2024", -20 * HOUR),
    ProfileSpec("bf-research", "bluefin", "com.bluefinhealth.research", "Research",
                "Bluefin Research", 45 * DAY),
    ProfileSpec("bf-team", "bluefin", "*", "Bluefin Team Wildcard",
                "Bluefin Team Wildcard", 330 * DAY, description="Any bundle ID of the team."),
    ProfileSpec("jr-sales", "juniper", "com.juniperretail.salesdeck", "Sales Deck",
                "Juniper Sales Deck", 10 * DAY, display_name="Sales Deck (production)"),
    ProfileSpec("jr-sales-h2", "juniper", "com.juniperretail.salesdeck", "Sales Deck",
                "Juniper Sales Deck H2", 150 * DAY),
    ProfileSpec("jr-pos", "juniper", "com.juniperretail.pos", "Store POS",
                "Juniper Store POS", 35 * DAY),
    ProfileSpec("jr-pos-2025", "juniper", "com.juniperretail.pos", "Store POS",
                "Juniper Store POS 2025", -10 * DAY, digest="sha1"),
    ProfileSpec("jr-inventory", "juniper", "com.juniperretail.inventory", "Inventory",
                "Juniper Inventory", 60 * DAY),
    ProfileSpec("jr-training", "juniper", "com.juniperretail.training", "Training",
                "Juniper Training", 100 * DAY),
    ProfileSpec("jr-wild", "juniper", "com.juniperretail.*", "Juniper Wildcard",
                "Juniper In-House Wildcard", 175 * DAY),
    ProfileSpec("jr-sales-beta", "juniper", "com.juniperretail.salesdeck.beta", "Sales Deck Beta",
                "Juniper Sales Deck Beta", 75 * DAY),
    ProfileSpec("jr-clienteling", "juniper", "com.juniperretail.clienteling", "Clienteling",
                "Juniper Clienteling", 95 * DAY),
    ProfileSpec("jr-kiosk", "juniper", "com.juniperretail.kiosk", "Store Kiosk",
                "Juniper Store Kiosk", 55 * MINUTE, description="In-store price-check kiosks."),
)

APPS = (
    AppSpec("com.harborlogistics.fieldservice", "Field Service", "hb-field-2026", cert="current"),
    AppSpec("com.harborlogistics.scanner", "Warehouse Scan", "hb-scan"),
    AppSpec("com.harborlogistics.dispatch", "Dispatch", "hb-wild"),
    AppSpec("com.harborlogistics.kiosk", "Kiosk Check-in", "hb-kiosk"),
    AppSpec("com.bluefinhealth.rounds", "Ward Rounds", "bf-rounds"),
    AppSpec("com.bluefinhealth.expenses", "Expenses", "bf-expenses"),
    AppSpec("com.bluefinhealth.badge", "Badge Access", "bf-badge"),
    AppSpec("com.bluefinhealth.oncall", "On-Call", "bf-oncall"),
    AppSpec("com.juniperretail.salesdeck", "Sales Deck", "jr-sales"),
    AppSpec("com.juniperretail.pos", "Store POS", "jr-pos"),
    AppSpec("com.juniperretail.inventory", "Inventory", "jr-inventory"),
    AppSpec("com.juniperretail.training", "Training", "jr-training"),
)

GROUPS: tuple[tuple[str, GroupKind, str], ...] = (
    ("Executives", "user", "Leadership team; excluded from most rollouts until verified."),
    ("Sales", "user", "Field and store sales staff."),
    ("Engineering", "user", "Internal developers and pilot users."),
    ("Field Techs", "user", "Technicians on the road."),
    ("Finance", "user", "Finance and expenses approvers."),
    ("Kiosk iPads", "device", "Shared lobby and in-store iPads in single-app mode."),
    ("Warehouse Scanners", "device", "Rugged handhelds in the warehouses."),
)

ASSIGNMENTS = (
    AssignmentSpec("profile", "hb-field-2025", (ALL_USERS,), ("Executives",)),
    AssignmentSpec("profile", "hb-field-2026", ("Field Techs",)),
    AssignmentSpec("profile", "hb-scan", ("Warehouse Scanners",)),
    AssignmentSpec("profile", "hb-dispatch", ("Field Techs",)),
    AssignmentSpec("profile", "hb-kiosk", ("Kiosk iPads",)),
    AssignmentSpec("profile", "hb-wild", (ALL_USERS,), ("Executives",)),
    AssignmentSpec("profile", "bf-rounds", (ALL_USERS,), ("Executives",)),
    AssignmentSpec("profile", "bf-rounds-2026", ("Engineering",)),
    AssignmentSpec("profile", "bf-expenses", (ALL_USERS,), ("Kiosk iPads",)),
    AssignmentSpec("profile", "bf-badge", (ALL_DEVICES,)),
    AssignmentSpec("profile", "bf-oncall", ("Engineering",)),
    AssignmentSpec("profile", "bf-wild", (ALL_USERS,), ("Executives",)),
    AssignmentSpec("profile", "jr-sales", ("Sales",)),
    AssignmentSpec("profile", "jr-sales-h2", ("Sales", "Executives")),
    AssignmentSpec("profile", "jr-pos", (ALL_DEVICES,), ("Kiosk iPads",)),
    AssignmentSpec("profile", "jr-inventory", ("Warehouse Scanners",)),
    AssignmentSpec("profile", "jr-training", (ALL_USERS,)),
    AssignmentSpec("profile", "jr-wild", ("Sales",)),
    AssignmentSpec("profile", "jr-kiosk", ("Kiosk iPads",)),
    AssignmentSpec("app", "com.harborlogistics.fieldservice", ("Field Techs",)),
    AssignmentSpec("app", "com.harborlogistics.scanner", ("Warehouse Scanners",)),
    AssignmentSpec("app", "com.harborlogistics.dispatch", ("Field Techs", "Engineering")),
    AssignmentSpec("app", "com.harborlogistics.kiosk", ("Kiosk iPads",)),
    AssignmentSpec("app", "com.bluefinhealth.rounds", (ALL_USERS,), ("Executives",)),
    AssignmentSpec("app", "com.bluefinhealth.expenses", (ALL_USERS, "Finance")),
    AssignmentSpec("app", "com.bluefinhealth.badge", (ALL_DEVICES,)),
    AssignmentSpec("app", "com.bluefinhealth.oncall", ("Engineering",)),
    AssignmentSpec("app", "com.juniperretail.salesdeck", ("Sales", "Executives")),
    AssignmentSpec("app", "com.juniperretail.pos", (ALL_DEVICES,), ("Kiosk iPads",)),
    AssignmentSpec("app", "com.juniperretail.inventory", ("Warehouse Scanners",)),
    AssignmentSpec("app", "com.juniperretail.training", (ALL_USERS,), ("Executives",)),
)

__all__ = ["APPS", "ASSIGNMENTS", "COMPANIES", "GROUPS", "PROFILES", "AppSpec", "AssignmentSpec",
           "CompanySpec", "ProfileSpec"]
