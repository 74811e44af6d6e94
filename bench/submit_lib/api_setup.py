"""Set-up of bench/submit through the API: one PDF per bench user, the item guides and the bundle, and
request bodies built from them as an applicant would fill them."""

from __future__ import annotations

import http.client
import json
import socket
import sys
import urllib.parse
import uuid
from typing import Any

# The smallest file the documents API accepts as a PDF (it sniffs the magic bytes).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Http:
    """One keep-alive connection to the server, for set-up requests."""

    def __init__(self, base: str) -> None:
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                raw = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt:
                    raise
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, raw[:500]

    def close(self) -> None:
        self.conn.close()


def upload_documents(base: str, users: list[dict[str, Any]]) -> None:
    """One PDF per user through POST /api/v1/documents; its id goes to user["document"]."""
    http = Http(base)
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    for user in users:
        status, answer = http.request(
            "POST",
            "/api/v1/documents",
            body,
            {
                "Authorization": f"Bearer {user['token']}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        if status != 201:
            sys.exit(f"document upload failed: HTTP {status} {answer}")
        user["document"] = answer["id"]
    http.close()
    print(f"== {len(users)} PDFs uploaded through POST /api/v1/documents", flush=True)


def fetch_targets(
    base: str, item_codes: list[str], bundle_code: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The item guides and the bundle, with the fields of its required members and whether it founds
    a company."""
    http = Http(base)
    items = []
    for code in item_codes:
        status, guide = http.request("GET", f"/api/v1/items/{urllib.parse.quote(code)}")
        if status != 200:
            sys.exit(f"item {code}: HTTP {status} {guide}")
        items.append(guide)
    status, bundle = http.request("GET", f"/api/v1/bundles/{urllib.parse.quote(bundle_code)}")
    if status != 200:
        sys.exit(f"bundle {bundle_code}: HTTP {status} {bundle}")
    # The merged form also has the optional members' fields; only the chosen members' may be sent.
    fields: set[str] = set()
    bundle["founding"] = False  # 设立登记 among the members: a person applies for a company-to-be
    for member in bundle["members"]:
        if not member["optional"]:
            status, guide = http.request("GET", f"/api/v1/items/{urllib.parse.quote(member['item']['code'])}")
            if status != 200:
                sys.exit(f"item {member['item']['code']}: HTTP {status} {guide}")
            fields |= set((guide["form_schema"].get("properties") or {}).keys())
            bundle["founding"] |= bool(guide.get("establishes_entity"))
    bundle["required_fields"] = sorted(fields)
    http.close()
    return items, bundle


def form_for(schema: dict[str, Any], user: dict[str, Any], founding: bool = False) -> dict[str, Any]:
    """Every field of the form, filled with the guide's example (the applicant's own where known;
    when founding, the company-to-be's, with the founder as its legal representative)."""
    own = {
        "applicant_name": user["name"] if user["kind"] == "person" else user["legal_representative"],
        "applicant_id_number": user["id_number"] if user["kind"] == "person" else "",
        "enterprise_name": user["name"] if user["kind"] == "legal" else "",
        "uscc": user["uscc"],
        "legal_representative": user["legal_representative"],
    }
    if founding:
        own |= {
            "enterprise_name": f"示范市{user['name']}新创科技有限公司",
            "legal_representative": user["name"],
            "legal_representative_id_number": user["id_number"],
            "contact_person": user["name"],
        }
    form: dict[str, Any] = {}
    for name, prop in (schema.get("properties") or {}).items():
        if own.get(name):
            form[name] = own[name]
        elif prop.get("examples"):
            form[name] = prop["examples"][0]
        elif name in (schema.get("required") or []):
            sys.exit(f"form field {name} has no example to fill it with")
    return form


def serves(recipients: list[dict[str, str]], kind: str) -> bool:
    codes_ = {r["code"] for r in recipients}
    return "1" in codes_ if kind == "person" else bool(codes_ - {"1"})


def single_body(guide: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    return {
        "item": guide["code"],
        "form": form_for(guide["form_schema"], user),
        "materials": [{"material": m["id"], "document": user["document"]} for m in guide["materials"]],
        "channel": "web",
    }


def bundle_body(bundle: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    # The required members only: their fields of the merged form, and the materials they need.
    chosen = {m["item"]["name"] for m in bundle["members"] if not m["optional"]}
    fields = set(bundle["required_fields"])
    schema = bundle["form_schema"]
    schema = {
        "properties": {k: v for k, v in schema["properties"].items() if k in fields},
        "required": [k for k in schema["required"] if k in fields],
    }
    materials = [
        {"material": entry["material"]["id"], "document": user["document"]}
        for entry in bundle["materials"]
        if chosen & set(entry["needed_by"])
        # The company-to-be holds no licence yet: its 营业执照 is what the registration issues.
        and not (
            bundle["founding"]
            and entry["material"].get("licence_type_code")
            and (entry["material"].get("licence_holder") or {}).get("code") == "applicant"
        )
    ]
    return {
        "bundle": bundle["code"],
        "form": form_for(schema, user, founding=bundle["founding"]),
        "materials": materials,
        "channel": "web",
    }


def single_requests(
    items: list[dict[str, Any]], users: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(user, body) for every item each bench user may apply for."""
    return [
        (user, single_body(guide, user))
        for user in users
        for guide in items
        if serves(guide["recipients"], user["kind"])
    ]


def bundle_applicants(bundle: dict[str, Any], users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bench users of the first kind that may apply for every required member of the bundle."""
    required = [m for m in bundle["members"] if not m["optional"]]
    kinds = [k for k in ("person", "legal") if all(serves(m["item"]["recipients"], k) for m in required)]
    if bundle["founding"]:
        kinds = ["person"]  # a company that exists already is sent to 变更登记
    if not kinds:
        sys.exit(f"no applicant kind can apply for every member of bundle {bundle['code']}")
    return [u for u in users if u["kind"] == kinds[0]]
