"""App ID matching: exact, wildcard prefix, bare wildcard, and team mismatch."""

from store.rules.appid import app_id_matches, split_app_id


def test_exact_and_wildcards() -> None:
    assert app_id_matches("ABCDE12345.com.acme.mail", "com.acme.mail")
    assert not app_id_matches("ABCDE12345.com.acme.mail", "com.acme.mailer")
    assert app_id_matches("ABCDE12345.com.acme.*", "com.acme.mail")
    assert not app_id_matches("ABCDE12345.com.acme.*", "com.acmex.mail")
    assert app_id_matches("ABCDE12345.*", "org.anything")


def test_team_must_match_when_given() -> None:
    assert app_id_matches("ABCDE12345.com.acme.*", "com.acme.mail", team_id="ABCDE12345")
    assert not app_id_matches("ABCDE12345.com.acme.*", "com.acme.mail", team_id="ZZZZZ99999")


def test_split() -> None:
    assert split_app_id("T.com.x") == ("T", "com.x")
    assert split_app_id("nodot") == ("", "nodot")
