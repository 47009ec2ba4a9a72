"""Fast decoding of the store's bulk documents (profiles, their certificates, apps).

``store.model.from_json`` is generic: it looks up the dataclass fields and dispatches on
every key of every document. Opening a store of 5,000 profiles and 2,000 apps spends most
of its time there, so this module decodes those shapes, and the assignments (one per
profile and app), with per-class field tables
built once, and shares one ``Certificate`` object per certificate (a team's profiles all
carry the same few). A frozen dataclass's generated ``__init__`` sets each field through
``object.__setattr__``, which for a 24-field ``Profile`` cost most of a profile's decode,
so complete documents fill the instance's ``__dict__`` at once, as ``pickle`` and
``copy`` do. The result equals ``from_json``'s, which the tests check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from datetime import datetime
from typing import Any, TypeVar

from store.model import (
    App,
    Assignment,
    Certificate,
    Integrity,
    IntuneOrigin,
    NestedBundle,
    Profile,
    from_json,
    parse_iso,
)

Decoder = Callable[[dict[str, Any]], Any]
T = TypeVar("T")
_CERT_DATES = ("not_before", "not_after")
_PROFILE_DATES = ("created", "expires", "imported_at")


def _date(text: Any) -> datetime | None:
    """An ISO date as aware UTC (``None`` stays ``None``)."""
    return None if text is None else parse_iso(text)


def _known(doc: dict[str, Any], names: frozenset[str]) -> dict[str, Any]:
    """The document's fields that ``names`` knows (keys a newer provdesk added are dropped).

    Nearly every document has only known keys; one subset test and a copy, both in C,
    cost a fraction of filtering key by key.
    """
    if doc.keys() <= names:
        return dict(doc)
    return {k: v for k, v in doc.items() if k in names}


def builder(kind: type[T]) -> Callable[[dict[str, Any]], T]:
    """Construct ``kind`` (a frozen dataclass without ``__post_init__``) from its field values.

    Defaults are filled as ``__init__`` would; a document missing a required field goes
    through ``__init__`` itself, so it fails the same way.
    """
    declared = fields(kind)  # type: ignore[arg-type]  # every kind passed here is a dataclass
    defaults = {f.name: f.default for f in declared if f.default is not MISSING}
    factories = {f.name: f.default_factory for f in declared if f.default_factory is not MISSING}
    required = frozenset(f.name for f in declared) - defaults.keys() - factories.keys()
    new = object.__new__

    def build(values: dict[str, Any]) -> T:
        if not required <= values.keys():
            return kind(**values)
        obj = new(kind)
        state = obj.__dict__
        state.update(defaults)
        for name, factory in factories.items():
            state[name] = factory()
        state.update(values)
        return obj

    return build


class FastDecoder:
    """Decoders for Certificate, Profile and App documents, with a certificate cache."""

    def __init__(self) -> None:
        self.cert_fields = frozenset(f.name for f in fields(Certificate))
        self.profile_fields = frozenset(f.name for f in fields(Profile))
        self.app_fields = frozenset(f.name for f in fields(App))
        self.assignment_fields = frozenset(f.name for f in fields(Assignment))
        self.certs: dict[tuple[Any, ...], Certificate] = {}
        self.new_certificate = builder(Certificate)
        self.new_profile = builder(Profile)
        self.new_app = builder(App)
        self.new_assignment = builder(Assignment)

    def certificate(self, doc: dict[str, Any]) -> Certificate:
        """One certificate, shared with every other document carrying the same one."""
        key = (doc.get("sha256"), doc.get("serial"), doc.get("not_after"), doc.get("common_name"))
        cert = self.certs.get(key)
        if cert is None:
            values = _known(doc, self.cert_fields)
            for name in _CERT_DATES:
                if name in values:
                    values[name] = _date(values[name])
            cert = self.new_certificate(values)
            self.certs[key] = cert
        return cert

    def profile(self, doc: dict[str, Any]) -> Profile:
        """One profile document."""
        values = _known(doc, self.profile_fields)
        for name in _PROFILE_DATES:
            if name in values:
                values[name] = _date(values[name])
        if "certificates" in values:
            values["certificates"] = tuple(self.certificate(c) for c in values["certificates"])
        for name in ("platforms", "devices"):
            if name in values:
                values[name] = tuple(values[name])
        if values.get("intune") is not None:
            values["intune"] = from_json(IntuneOrigin, values["intune"])
        return self.new_profile(values)

    def app(self, doc: dict[str, Any]) -> App:
        """One app document (its embedded profile and nested bundles included)."""
        values = _known(doc, self.app_fields)
        if "added_at" in values:
            values["added_at"] = _date(values["added_at"])
        if values.get("signing_certificate") is not None:
            values["signing_certificate"] = self.certificate(values["signing_certificate"])
        if values.get("embedded_profile") is not None:
            values["embedded_profile"] = self.profile(values["embedded_profile"])
        if "nested" in values:
            values["nested"] = tuple(from_json(NestedBundle, n) for n in values["nested"] or ())
        if values.get("intune") is not None:
            values["intune"] = from_json(IntuneOrigin, values["intune"])
        if values.get("integrity") is not None:
            values["integrity"] = from_json(Integrity, values["integrity"])
        return self.new_app(values)

    def assignment(self, doc: dict[str, Any]) -> Assignment:
        """One assignment document (its group lists as sets)."""
        values = _known(doc, self.assignment_fields)
        for name in ("include", "exclude"):
            if values.get(name) is not None:
                values[name] = frozenset(values[name])
        return self.new_assignment(values)


_DECODER = FastDecoder()


def decoder(kind: type[Any]) -> Decoder | None:
    """The fast decoder for ``kind``, or ``None`` when the generic codec should be used."""
    table: dict[type[Any], Decoder] = {
        Profile: _DECODER.profile, App: _DECODER.app, Certificate: _DECODER.certificate,
        Assignment: _DECODER.assignment,
    }
    return table.get(kind)
