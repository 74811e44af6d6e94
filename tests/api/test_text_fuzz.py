"""Every string of every API operation, one at a time, replaced by text schemathesis never generates:
a lone surrogate, a NUL, right-to-left marks and a 100,000-character string, sent as each role that
may call the operation. No answer is a 5xx; a surrogate, NUL or over-long string is a 4xx naming the
field (RTL marks are ordinary text: accepted or refused cleanly).

The operations, their parameters and body schemas are read from the OpenAPI document, so a new
operation or field is fuzzed without a change here; one valid body per operation is built from its
schema, with real objects of a small world filled in below.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client

from tests.factories import make_bundle, make_document, make_item
from yiwang.catalog.services import bundle_publish
from yiwang.licences.identifiers import build_identifier

pytestmark = pytest.mark.django_db

SURROGATE, NUL, RTL, LONG = "surrogate", "nul", "rtl", "long"
MUTATIONS = {
    SURROGATE: "a\ud800b",
    NUL: "a\x00b",
    RTL: "\u202e\u200f示例",
    LONG: "x" * 100_000,
}
# A URL carries bytes: a surrogate can only be sent as its (invalid) UTF-8 bytes, which Django decodes
# to U+FFFD (query) or keeps percent-encoded (path) — ordinary text by the time any view sees it.
URL_SURROGATE = "a%ED%A0%80b"


class _Rollback(Exception):
    pass


@dataclass(frozen=True)
class Request:
    role: str
    method: str
    path: str
    query: dict[str, str]
    body: Any

    def send(self, client: Client, headers: dict[str, str]) -> Any:
        """The answer; the request's writes are rolled back, so every mutation meets the same data (an
        accepted action would otherwise leave the case where the next one is a 409)."""
        answer: list[Any] = []
        try:
            with transaction.atomic():
                answer.append(self._send(client, headers))
                raise _Rollback
        except _Rollback:
            pass
        return answer[0]

    def _send(self, client: Client, headers: dict[str, str]) -> Any:
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='%')}" for k, v in self.query.items())
        url = f"{self.path}?{query}" if query else self.path
        if self.body is None:
            return client.generic(self.method, url, **headers)
        return client.generic(self.method, url, json.dumps(self.body), "application/json", **headers)


@dataclass(frozen=True)
class Mutation:
    location: str  # "body", "query" or "path"
    field: str  # as the API names it in `fields`
    kind: str
    request: Request


class Examples:
    """One schema-valid value per JSON Schema, with every optional string property filled in, so that
    every string field of the body is there to be replaced."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {}).get("schemas", {})

    def value(self, schema: dict[str, Any]) -> Any:
        if "$ref" in schema:
            return self.value(self.components[schema["$ref"].rsplit("/", 1)[1]])
        for choice in schema.get("anyOf", []):
            if choice.get("type") != "null":
                return self.value(choice)
        if "enum" in schema:
            return next((v for v in schema["enum"] if v not in ("", None)), schema["enum"][0])
        kind = schema.get("type")
        if kind == "object":
            properties = schema.get("properties")
            if properties is None:  # a free-form object (an application form, an action's result)
                return {"note": "示例"}
            return {name: self.value(sub) for name, sub in properties.items()}
        if kind == "array":
            return [self.value(schema.get("items", {}))]
        if kind == "integer":
            return max(int(schema.get("minimum", 1)), 1)
        if kind == "number":
            return 1
        if kind == "boolean":
            return False
        if kind == "string":
            return "示例"[: schema.get("maxLength", 2)] if schema.get("format") != "binary" else None
        return "示例"


def strings(value: Any, path: str = "") -> Iterator[tuple[str, list[Any]]]:
    """Each string leaf of a JSON value: its path as the API names fields, and its key path."""
    if isinstance(value, str):
        yield path, []
    elif isinstance(value, dict):
        for key, child in value.items():
            for sub, keys in strings(child, f"{path}.{key}" if path else key):
                yield sub, [key, *keys]
    elif isinstance(value, list):
        for index, child in enumerate(value):
            for sub, keys in strings(child, f"{path}[{index}]"):
                yield sub, [index, *keys]


def replaced(value: Any, keys: list[Any], new: str) -> Any:
    if not keys:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[keys[0]] = replaced(value[keys[0]], keys[1:], new)
    return copy


@pytest.fixture
def cast(world) -> dict[str, Any]:
    """Real objects for the path parameters and bodies, so that RTL text reaches the services."""
    first = world.item
    second = make_item(department=world.department, name="食品经营许可变更")
    bundle = make_bundle(first, second)
    bundle_publish(bundle=bundle)
    application = world.apply().json()
    materials = [m.id for m in first.materials.all()]
    own = {role: str(make_document(getattr(world, role).user).id) for role in ("citizen", "clerk")}
    citizen = world.citizen.user

    def application_bodies(role: str) -> list[dict[str, Any]]:
        body: dict[str, Any] = {
            "item": first.item.code,
            "bundle": None,
            "members": None,
            "form": {"applicant_name": "张三", "applicant_phone": "13800000000"},
            "materials": [{"material": m, "document": own[role]} for m in materials],
            "channel": "web",
            "applicant": None,
        }
        if role == "clerk":  # at the window, for the citizen
            applicant = {"kind": "person", "name": citizen.name, "id_number": citizen.id_number}
            body.update(channel="window", applicant=applicant)
        return [body, {**body, "item": None, "bundle": bundle.code, "members": [second.item.code]}]

    def action_bodies(role: str) -> list[dict[str, Any]]:
        return [
            {
                "action": "request_supplement",
                "items": [{"material": materials[0], "reason": "照片模糊"}],
                "materials": [{"material": materials[0], "document": own[role]}],
                "result": {"number": "JY1", "note": "示例"},
            }
        ]

    return {
        "path": {
            "number": application["number"],
            "case_number": application["cases"][0]["number"],
            "kind": "acceptance",
            "code": first.item.code,
            "bundle_code": bundle.code,
            "item_code": first.item.code,
            "document_id": own["citizen"],
            "identifier": build_identifier("11100000000013338W", "330100", "0001"),
            "check_id": "1",
            "mark_id": "1",
        },
        # Per operation and role, applied over the body built from the schema; None removes a field.
        "bodies": {
            "POST /api/v1/auth/token": lambda role: [
                {"username": "fuzz-nobody", "password": "pw-Yiwang-2026"}
            ],
            "POST /api/v1/applications": application_bodies,
            "POST /api/v1/cases/{number}/actions": action_bodies,
            "POST /api/v1/applications/{number}/actions": action_bodies,
        },
    }


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def path_values(cast: dict[str, Any], template: str) -> dict[str, str]:
    values = dict(cast["path"])
    if template.startswith("/api/v1/cases/"):
        values["number"] = values["case_number"]
    if template.startswith("/api/v1/bundles/"):
        values["code"] = values["bundle_code"]
    return values


def url_of(template: str, values: dict[str, str], replace: tuple[str, str] | None = None) -> str:
    """The template with each path parameter filled in (quoted), one of them possibly replaced by text
    already written for a URL."""
    url = template
    for name, value in values.items():
        written = replace[1] if replace and replace[0] == name else quote(str(value), safe="")
        url = url.replace("{" + name + "}", written)
    return url


def base_requests(
    document: dict[str, Any], cast: dict[str, Any], method: str, path: str, operation: dict[str, Any]
) -> Iterator[tuple[Request, dict[str, dict[str, Any]]]]:
    examples = Examples(document)
    parameters = {p["name"]: p for p in operation.get("parameters", []) if p["in"] in ("path", "query")}
    query = {
        name: str(examples.value(p["schema"]))
        for name, p in parameters.items()
        if p["in"] == "query" and _is_string(p["schema"])
    }
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    overrides = cast["bodies"].get(f"{method} {path}", lambda role: [{}])
    anonymous = operation.get("security") is None
    for role in ("anonymous",) if anonymous else ("citizen", "clerk"):
        bodies: list[Any] = [None]
        if content:
            generated = examples.value(content["schema"])
            bodies = [
                {k: v for k, v in {**generated, **override}.items() if v is not None}
                for override in overrides(role)
            ]
        for body in bodies:
            yield Request(role, method, url_of(path, path_values(cast, path)), query, body), parameters


def _is_string(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" or any(c.get("type") == "string" for c in schema.get("anyOf", []))


def mutations(
    request: Request, parameters: dict[str, dict[str, Any]], template: str, cast: dict[str, Any]
) -> Iterator[Mutation]:
    for field, keys in strings(request.body):
        for kind, text in MUTATIONS.items():
            body = replaced(request.body, keys, text)
            yield Mutation(
                "body", field, kind, Request(request.role, request.method, request.path, request.query, body)
            )
    for name in request.query:
        for kind, text in MUTATIONS.items():
            value = URL_SURROGATE if kind == SURROGATE else quote(text, safe="")
            query = {**request.query, name: value}
            yield Mutation(
                "query", name, kind, Request(request.role, request.method, request.path, query, request.body)
            )
    for name, parameter in parameters.items():
        if parameter["in"] != "path" or not _is_string(parameter["schema"]):
            continue
        for kind, text in MUTATIONS.items():
            value = URL_SURROGATE if kind == SURROGATE else quote(text, safe="")
            url = url_of(template, path_values(cast, template), (name, value))
            yield Mutation(
                "path", name, kind, Request(request.role, request.method, url, request.query, request.body)
            )


def problem(mutation: Mutation, response: Any) -> str | None:
    """What is wrong with the answer to `mutation`, or None."""
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if mutation.kind == RTL:
        return None  # ordinary text: accepted, or refused by a rule of the field
    if mutation.kind == SURROGATE and mutation.location != "body":
        return None  # it arrives as ordinary text (URL_SURROGATE above)
    if not 400 <= status < 500:
        return f"{status}, not refused"
    try:
        fields = response.json().get("fields", {})
    except ValueError:
        return f"{status} without the error body"
    if mutation.field not in fields:
        return f"{status} without naming the field (fields: {sorted(fields)})"
    return None


def test_no_string_of_any_operation_gives_a_5xx_and_bad_text_is_named(world, cast, client):
    document = client.get("/api/v1/openapi.json").json()
    callers = {
        "anonymous": {},
        "citizen": {"HTTP_AUTHORIZATION": f"Bearer {world.citizen.token}"},
        "clerk": {"HTTP_AUTHORIZATION": f"Bearer {world.clerk.token}"},
    }
    raw = Client(raise_request_exception=False)  # a 500 is an answer to report, not an exception
    sent, failures = 0, []
    for method, template, operation in operations(document):
        for request, parameters in base_requests(document, cast, method, template, operation):
            for mutation in mutations(request, parameters, template, cast):
                response = mutation.request.send(raw, callers[mutation.request.role])
                sent += 1
                if (found := problem(mutation, response)) is not None:
                    failures.append(
                        f"{method} {template} as {request.role}: {mutation.kind} in "
                        f"{mutation.location} {mutation.field} → {found}"
                    )
    assert sent > 400, sent  # every operation was reached: a schema change must not empty the run
    assert not failures, "\n".join(failures)
