"""Who applies (申请人): the applicant of a submission, its 经办人, and the company-to-be of 企业开办.

A legal person that does not exist yet cannot have an account, a USCC or e-licences. In 企业开办 its
founder — a natural person, the 经办人 — applies for it: the application names the company-to-be
(名称自主申报, legal representative) from the establishing item's form, and its USCC arrives when
企业设立登记 completes (`cases.founding`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from yiwang.accounts.models import User
from yiwang.cases.applicant_fields import Binding, stated
from yiwang.cases.models import ApplicantKind
from yiwang.catalog.codes import LicenceHolder
from yiwang.catalog.models import ItemVersion, Material
from yiwang.core.errors import DomainError
from yiwang.core.identifiers import IdentifierError, normalize_id_number


@dataclass
class Problems:
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, message: str) -> None:
        self.fields.setdefault(key, []).append(message)


@dataclass
class Applicant:
    kind: str
    name: str
    id_type: str
    id_number: str
    legal_representative: str = ""
    legal_representative_id_number: str = ""
    user: User | None = None
    # 经办人: the natural person applying for a legal person (a founder, or a person acting for a company).
    agent_user: User | None = None
    agent_name: str = ""
    agent_id_number: str = ""
    # A company-to-be (企业开办): its USCC comes when its 设立登记 completes.
    founding: bool = False

    def identity(self) -> dict[Binding, str]:
        """What the applicant's identity fixes in a form (applicant_fields)."""
        person = self.kind == ApplicantKind.PERSON
        return {
            Binding.NAME: self.name,
            Binding.ID_NUMBER: self.id_number if person else "",
            Binding.USCC: "" if person else self.id_number,
        }

    def drawable_codes(self) -> set[str]:
        """Holder codes whose e-licences this application may draw on: the applicant's and the agent's."""
        return {code.upper() for code in (self.id_number, self.agent_id_number) if code}

    def holder_code(self, material: Material) -> str:
        """Whose licence a material asks for (Material.licence_holder), as a holder code; "" if unknown."""
        person = self.kind == ApplicantKind.PERSON
        if material.licence_holder == LicenceHolder.LEGAL_REPRESENTATIVE:
            return self.id_number if person else self.legal_representative_id_number
        if material.licence_holder == LicenceHolder.AGENT:
            return self.agent_id_number or (self.id_number if person else "")
        return self.id_number

    @property
    def credit_code(self) -> str:
        """Whose credit record decides whether a pledge may replace a proof: the founder's for a company-to-be."""
        return self.id_number or self.agent_id_number


class EntityExists(DomainError):
    """An existing legal person asked to be founded again (企业开办 is for companies that do not exist)."""

    status = 422

    def __init__(self) -> None:
        super().__init__(
            "entity_exists",
            "贵单位已依法设立：“企业开办”用于设立新企业，登记事项发生变化请申请“企业变更登记”",
            {"applicant.kind": ["已设立的企业不能再次办理企业开办"]},
        )


def entity_to_be(schema: dict[str, Any], form: Any, *, founder: Applicant) -> Applicant:
    """The company-to-be an establishing application is for, named in its form (the catalog's publish
    rules make sure the form has the field; the form check that it is filled), its founder as 经办人."""
    if founder.kind != ApplicantKind.PERSON:
        raise EntityExists()
    values = stated(schema, form if isinstance(form, dict) else {})
    rep_id = values.get(Binding.LEGAL_REPRESENTATIVE_ID_NUMBER, "")
    try:
        rep_id = normalize_id_number(rep_id) if rep_id else ""
    except IdentifierError:
        rep_id = ""  # the form check names the field (format "id-number")
    return Applicant(
        ApplicantKind.LEGAL,
        values.get(Binding.NAME, ""),
        "001",
        "",
        values.get(Binding.LEGAL_REPRESENTATIVE, ""),
        rep_id,
        user=None,
        agent_user=founder.user,
        agent_name=founder.name,
        agent_id_number=founder.id_number,
        founding=True,
    )


def produced_licence_types(versions: Iterable[ItemVersion]) -> frozenset[str]:
    """The licences an establishing member issues to the company-to-be (营业执照): no member asks for them."""
    return frozenset(
        v.result_licence_type for v in versions if v.establishes_entity and v.result_licence_type
    )
