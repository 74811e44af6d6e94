"""What bench/crash submits: bench/submit's demo items and bundle, read from the API as bench/submit reads
them, each with the bench users who may apply and a builder of the request body."""

from __future__ import annotations

from typing import Any

from crash_lib.clients import Target
from submit_lib.api_setup import bundle_applicants, fetch_targets, form_for, serves


def crash_targets(
    base: str, item_codes: list[str], bundle_code: str, bundle_share: float, users: list[dict[str, Any]]
) -> list[tuple[Target, float]]:
    """Each target with its weight: the bundle `bundle_share`, the single items the rest in equal parts."""
    items, bundle = fetch_targets(base, item_codes, bundle_code)
    out: list[tuple[Target, float]] = []
    single_weight = (1 - bundle_share) / len(items)
    for guide in items:
        kind = "person" if serves(guide["recipients"], "person") else "legal"

        def build(
            user: dict[str, Any], docs: dict[int, str], channel: str, guide: dict[str, Any] = guide
        ) -> dict[str, Any]:
            return {
                "item": guide["code"],
                "form": form_for(guide["form_schema"], user),
                "materials": [{"material": m, "document": d} for m, d in docs.items()],
                "channel": channel,
            }

        out.append(
            (
                Target(
                    kind="single",
                    code=guide["code"],
                    users=[u for u in users if u["kind"] == kind],
                    materials=[m["id"] for m in guide["materials"]],
                    build=build,
                ),
                single_weight,
            )
        )
    # The required members only: their fields of the merged form, and the materials they need.
    fields = set(bundle["required_fields"])
    schema = {
        "properties": {k: v for k, v in bundle["form_schema"]["properties"].items() if k in fields},
        "required": [k for k in bundle["form_schema"]["required"] if k in fields],
    }
    chosen = {m["item"]["name"] for m in bundle["members"] if not m["optional"]}
    materials = [
        e["material"]["id"]
        for e in bundle["materials"]
        if chosen & set(e["needed_by"])
        # As in bench/submit: the company-to-be holds no licence yet, its 营业执照 is what 企业开办 issues.
        and not (
            bundle["founding"]
            and e["material"].get("licence_type_code")
            and (e["material"].get("licence_holder") or {}).get("code") == "applicant"
        )
    ]

    def build_bundle(user: dict[str, Any], docs: dict[int, str], channel: str) -> dict[str, Any]:
        return {
            "bundle": bundle["code"],
            "form": form_for(schema, user, founding=bundle["founding"]),
            "materials": [{"material": m, "document": d} for m, d in docs.items()],
            "channel": channel,
        }

    out.append(
        (
            Target(
                kind="bundle",
                code=bundle["code"],
                users=bundle_applicants(bundle, users),
                materials=materials,
                build=build_bundle,
            ),
            bundle_share,
        )
    )
    return out
