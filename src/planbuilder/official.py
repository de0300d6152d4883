"""Official data about Finland's municipalities, read from package data (`planbuilder/data`):
each municipality's language status under the Government decree for 2023–2032
(languages.yaml), whether it is a city or a municipality and its region
(municipalities.yaml), and the administrative courts with their circuits and contact details
(courts.yaml). Each file says where its facts come from and when they were read.

A member is found by its Finnish name (`Member.name.fi`); a name the lists do not know (a
fictional example, a municipality formed after the lists) has no official data, and the
plan states what is needed (`Member.kind`, `decision.appeal_court`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from planbuilder.data import read_data
from planbuilder.model import Lang, Member, Text

LanguageStatus = Literal["fi", "sv", "bilingual"]
Kind = Literal["kaupunki", "kunta"]


@dataclass(frozen=True)
class Municipality:
    code: int
    fi: str
    sv: str
    kind: Kind
    region: str


@dataclass(frozen=True)
class Court:
    id: str
    name: Text
    regions: tuple[str, ...]
    source: str
    postal_address: Text | None = None
    visiting_address: Text | None = None
    email: str | None = None
    hours: Text | None = None


@cache
def municipalities() -> dict[str, Municipality]:
    """Every municipality by its Finnish name."""
    rows = read_data("municipalities.yaml")["municipalities"]
    return {str(fi): Municipality(int(code), str(fi), str(sv), kind, str(region))
            for code, fi, sv, kind, region in rows}


@cache
def languages() -> dict[str, Any]:
    """languages.yaml as read: the decree's lists and their source."""
    data: dict[str, Any] = read_data("languages.yaml")
    return data


@cache
def courts() -> tuple[Court, ...]:
    def text(value: Any) -> Text | None:
        return Text.model_validate(value) if value is not None else None

    return tuple(Court(c["id"], Text.model_validate(c["name"]), tuple(c["regions"]),
                       c["source"], text(c.get("postal_address")),
                       text(c.get("visiting_address")), c.get("email"), text(c.get("hours")))
                 for c in read_data("courts.yaml")["courts"])


def municipality(member: Member) -> Municipality | None:
    return municipalities().get(member.name.fi.strip())


def language_status(member: Member) -> LanguageStatus | None:
    """The member's status under the decree (Åland's municipalities, outside it, are
    Swedish-speaking); None for a name the municipality list does not know."""
    found = municipality(member)
    if found is None:
        return None
    data = languages()
    if found.fi in data["bilingual_finnish_majority"] or \
            found.fi in data["bilingual_swedish_majority"]:
        return "bilingual"
    if found.fi in data["swedish"] or found.region == data["aland_region"]:
        return "sv"
    return "fi"


def official_kind(member: Member) -> Kind | None:
    found = municipality(member)
    return found.kind if found else None


def kind(member: Member) -> Kind:
    """kaupunki or kunta: as the plan states it, else as the list says, else kunta."""
    return member.kind or official_kind(member) or "kunta"


def court_named(name: Text | str) -> Court | None:
    """The court whose Finnish or Swedish name this is (letter case and spaces aside)."""
    wanted = {s.strip().casefold() for s in
              ((name,) if isinstance(name, str) else (name.fi, name.sv)) if s}
    return next((c for c in courts()
                 if {c.name.fi.casefold(), (c.name.sv or "").casefold()} & wanted), None)


def circuit_court(member: Member) -> Court | None:
    """The court in whose circuit the member is, by its region; None if not known."""
    found = municipality(member)
    if found is None:
        return None
    return next((c for c in courts() if found.region in c.regions), None)


def court_lines(court: Court, lang: Lang) -> dict[str, str]:
    """The court's name and contact details in `lang`; "" for what is not published."""
    def get(value: Text | None) -> str:
        return value.get(lang) if value is not None else ""

    return {"name": court.name.get(lang), "postal_address": get(court.postal_address),
            "visiting_address": get(court.visiting_address), "email": court.email or "",
            "hours": get(court.hours)}
