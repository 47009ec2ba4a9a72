"""Suggestions: profiles that would carry an app past its break, and the groups still missing them."""

from __future__ import annotations

from store.model import Fleet, Profile
from store.rules.suggestions import FixOutcome, Suggestion, fix_outcome, suggest
from tests.rules.factory import NOW, app, assign, cert, days, fleet, groups, profile

GROUPS = groups(users=["Sales", "Field", "Executives"])


def situation(*extra: Profile, app_cert_days: int = 900) -> Fleet:
    """Mail in Sales and Field, kept alive only by a profile ending in 10 days, plus ``extra`` profiles."""
    signing = cert(expires=days(app_cert_days))
    return fleet(
        [profile("old", expires=days(10), certs=[signing]), *extra],
        [app(signing=signing)], GROUPS,
        [
            assign("app", "com.acme.mail", ["Sales", "Field"]),
            assign("profile", "old", ["Sales", "Field"]),
            assign("profile", "partial", ["Field", "Executives"]),
        ],
    )


def test_longer_lasting_passing_profiles_with_their_missing_groups() -> None:
    found = suggest(
        situation(
            profile("fresh", expires=days(365)),
            profile("partial", expires=days(200)),
            profile("shorter", expires=days(5)),
            profile("foreign", certs=[cert("other")], expires=days(400)),
        ),
        NOW, "com.acme.mail",
    )
    assert found == (
        Suggestion("fresh", days(365), frozenset({"Sales", "Field"})),
        Suggestion("partial", days(200), frozenset({"Sales"})),
    )


def test_no_suggestion_for_an_app_outside_the_warning_window() -> None:
    calm = situation(profile("fresh", expires=days(365)))
    assert suggest(calm, days(-30), "com.acme.mail") == ()


def test_no_suggestion_when_the_certificate_is_the_cause() -> None:
    doomed = situation(profile("fresh", expires=days(365)), app_cert_days=8)
    assert suggest(doomed, NOW, "com.acme.mail") == ()


def test_unknown_app_gets_nothing() -> None:
    assert suggest(situation(), NOW, "com.nobody") == ()


def test_an_uncovered_app_is_suggested_any_passing_profile() -> None:
    bare = fleet(
        [profile("spare", expires=days(90))], [app()], GROUPS, [assign("app", "com.acme.mail", ["Sales"])]
    )
    assert suggest(bare, NOW, "com.acme.mail") == (Suggestion("spare", days(90), frozenset({"Sales"})),)


def test_the_fix_outcome_says_what_it_buys_and_what_ends_it_next() -> None:
    """27 min -> 22 days, then the certificate: the triage `u` question says so (issue 10)."""
    signing = cert(expires=days(22))
    fleet_ = fleet(
        [profile("old", expires=days(0.02), certs=[signing]),
         profile("fresh", expires=days(365), certs=[signing]),
         profile("mid", expires=days(100), certs=[signing])],
        [app(signing=signing)], GROUPS,
        [assign("app", "com.acme.mail", ["Sales"]), assign("profile", "old", ["Sales"])],
    )
    found = suggest(fleet_, NOW, "com.acme.mail")
    outcome = fix_outcome(fleet_, NOW, fleet_.apps[0], days(0.02), found)
    assert outcome == FixOutcome(days(0.02), days(22), "certificate", False, 1)
    assert fix_outcome(fleet_, NOW, fleet_.apps[0], days(0.02), ()) is None
    fresh = (Suggestion("fresh", days(365), frozenset()),)
    lasting = fix_outcome(situation(), NOW, app(signing=cert(expires=days(900))), days(10), fresh)
    assert lasting is not None
    assert (lasting.then, lasting.outlasts_window, lasting.others) == ("profile", True, 0)
