"""使用电子证照（免提交）: which valid e-licences the page may offer for a material.

A material names whose licence it asks for (`Material.licence_holder`): the applicant's own, the
legal representative's, the 经办人's, or someone else's. The page offers only a licence of exactly
that holder and of exactly the material's type, held by the person signed in or the company they
act for — never a licence of another holder or another type — and nothing at all to an account that
is not real-name verified. The engine checks the licence again when the application is submitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.selectors import is_real_name_verified
from yiwang.catalog.codes import LicenceHolder
from yiwang.catalog.models import Material
from yiwang.licences.selectors import holder_code_of, licence_find_valid


@dataclass(frozen=True)
class LicenceOffer:
    identifier: str
    name: str
    number: str
    issuer: str
    valid_until: date | None


@dataclass(frozen=True)
class Holders:
    """The holder code the page may draw on for each LicenceHolder role ("" where none)."""

    applicant: str = ""
    legal_representative: str = ""
    agent: str = ""

    def code_for(self, material: Material) -> str:
        return {
            LicenceHolder.APPLICANT: self.applicant,
            LicenceHolder.LEGAL_REPRESENTATIVE: self.legal_representative,
            LicenceHolder.AGENT: self.agent,
        }.get(LicenceHolder(material.licence_holder), "")


def holders_for(user: User, person: User, *, founding: bool = False) -> Holders:
    """Whose licences may be offered to `user` (the applicant account) signed in as `person`.

    `founding`: the applicant is a company-to-be (企业开办): it holds nothing yet; its founder may be
    its legal representative, which the engine checks against the form when it is submitted.
    """
    if not is_real_name_verified(person):
        return Holders()
    own = "" if founding else holder_code_of(user)
    mine = (person.id_number or "").upper() if person.kind == UserKind.PERSON else ""
    if user.kind == UserKind.PERSON:
        return Holders(applicant=own, legal_representative=mine, agent=mine)
    representative = (user.legal_representative_id_number or "").upper()
    return Holders(
        applicant=own, legal_representative=mine if mine and mine == representative else "", agent=mine
    )


def licence_offers(holders: Holders, materials: Iterable[Material]) -> dict[int, LicenceOffer]:
    """For each material a valid licence of its holder and type stands in for: the offer, by material id."""
    offers: dict[int, LicenceOffer] = {}
    found: dict[tuple[str, str], LicenceOffer | None] = {}
    for material in materials:
        code = holders.code_for(material)
        if not code or not material.licence_type_code:
            continue
        key = (code, material.licence_type_code)
        if key not in found:
            licence = licence_find_valid(holder_code=code, type_code=material.licence_type_code)
            found[key] = (
                LicenceOffer(
                    identifier=licence.identifier,
                    name=licence.name,
                    number=licence.number,
                    issuer=getattr(licence.issuer, "name", ""),
                    valid_until=licence.valid_until,
                )
                if licence is not None
                else None
            )
        offer = found[key]
        if offer is not None:
            offers[material.id] = offer
    return offers
