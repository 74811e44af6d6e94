"""减材料 report: per item, the materials its guide requires against what applicants actually had to
hand in — the rest came from the e-licence library (免提交) or a pledge (告知承诺)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from yiwang.cases.models import Application, ApplicationMaterial
from yiwang.catalog import selectors as catalog_selectors
from yiwang.catalog.models import Material


@dataclass(frozen=True)
class MaterialReduction:
    item: str
    name: str
    required: int
    applications: int
    uploaded: float
    from_library: float
    pledged: float

    @property
    def had_to_provide(self) -> float:
        """Average number of proofs an applicant handed in (uploads); pledges are one signature, not a proof."""
        return self.uploaded


def material_reduction(item_code: str) -> MaterialReduction:
    version = catalog_selectors.item_guide(item_code)
    required = Material.objects.filter(version=version, required=True).count()
    applications = Application.objects.filter(item_version__item=version.item)
    count = applications.count()
    totals = ApplicationMaterial.objects.filter(application__in=applications).aggregate(
        uploaded=Count("pk", filter=Q(document__isnull=False)),
        from_library=Count("pk", filter=Q(from_library=True)),
        pledged=Count("pk", filter=Q(pledged=True)),
    )
    per = (lambda n: round(n / count, 2)) if count else (lambda n: 0.0)
    return MaterialReduction(
        item=item_code,
        name=version.name,
        required=required,
        applications=count,
        uploaded=per(totals["uploaded"]),
        from_library=per(totals["from_library"]),
        pledged=per(totals["pledged"]),
    )
