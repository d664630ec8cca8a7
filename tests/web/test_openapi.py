"""The OpenAPI document matches the routes, and schemathesis finds no server errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from queue_server.auth.roles import COUNTER_ROLES, TOKEN_ROLES, USER_ROLES
from queue_server.auth.tokens import create_token
from queue_server.core.bootstrap import open_queue
from queue_server.core.db import Database
from queue_server.runtime import start_app
from queue_server.settings import Settings
from queue_server.web.openapi import ANSWERS, ROUTES, openapi_document

from .conftest import sign_in

PREFIX = "/api/v1"


def _api_routes(app: Flask) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                routes.add((method.lower(), path))
    return routes


def _documented(app: Flask) -> set[tuple[str, str]]:
    document = app.test_client().get(f"{PREFIX}/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    return {(method, path) for path, item in document["paths"].items() for method in item}


def test_every_route_is_documented_and_every_documented_route_exists(sqlite_app: Flask) -> None:
    routes = _api_routes(sqlite_app)
    documented = _documented(sqlite_app)
    assert routes - documented == set(), "routes missing from openapi.json"
    assert documented - routes == set(), "documented operations without a route"
    assert ("post", "/counters/{number}/next") in routes


def test_document_parameters_match_path_templates(sqlite_app: Flask) -> None:
    document = sqlite_app.test_client().get(f"{PREFIX}/openapi.json").get_json()
    for path, item in document["paths"].items():
        names = set(re.findall(r"{([a-z_]+)}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, (method, path)
            assert operation["operationId"]


@pytest.fixture(scope="module")
def fuzz_app(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on SQLite with a few waiting tickets; requests carry an admin token."""
    folder: Path = tmp_path_factory.mktemp("fuzz")
    settings = demo_settings.model_copy(
        update={
            "data_dir": str(folder),
            "api": demo_settings.api.model_copy(update={"issue_rate_per_minute": 100_000}),
        }
    )
    database = Database(f"sqlite:///{folder / 'fuzz.db'}")
    queue = open_queue(settings, db=database)
    for service in ("HT", "CT", "DD", "HD"):
        queue.issue(service)
    app = start_app(settings, queue=queue, testing=True)
    secret, _info = create_token(database, "admin")
    app.config["FUZZ_HEADERS"] = {"Authorization": f"Bearer {secret}"}
    yield app
    database.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzz_app: Flask) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", fuzz_app)


OPERATIONS = sorted(
    (method, path) for path, item in openapi_document()["paths"].items() for method in item
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_fuzz(
    api_schema: schemathesis.BaseSchema, fuzz_app: Flask, method: str, path: str
) -> None:
    """Generated valid requests: no server error, statuses and bodies as documented."""
    operation = api_schema.find_operation_by_label(f"{method.upper()} {path}")
    assert operation is not None
    headers = fuzz_app.config["FUZZ_HEADERS"]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=50,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def _schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]


def test_the_session_roles_are_the_documented_ones(sqlite_app: Flask) -> None:
    """Every token and user role answers ``GET /session`` with a role the schema lists."""
    client = sqlite_app.test_client()
    document = client.get(f"{PREFIX}/openapi.json").get_json()
    documented = set(_schema(document, "Session")["properties"]["role"]["enum"])
    queue = sqlite_app.extensions["xephang"].queue
    seen = set()
    for role in TOKEN_ROLES:
        counter = 1 if role in COUNTER_ROLES else None
        secret, _info = create_token(queue.db, role.value, counter=counter)
        answer = client.get(f"{PREFIX}/session", headers={"Authorization": f"Bearer {secret}"})
        seen.add(answer.get_json()["role"])
    for role in USER_ROLES:
        user, _csrf = sign_in(sqlite_app, role.value)
        seen.add(user.get(f"{PREFIX}/session").get_json()["role"])
    assert {"rating", "manager", "device", "volunteer"} <= seen <= documented


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 200),
        ("?limit=1&offset=0", 200),
        ("?limit=1000&offset=99999999999999999999", 200),  # past the end: empty
        ("?offset=-1", 400),
        ("?offset=1.5", 400),
        ("?offset=abc", 400),
        ("?limit=0", 400),
        ("?limit=1001", 400),
        ("?limit=%C2%B2", 400),  # a superscript two is no whole number here
    ],
)
def test_the_audit_paging_keeps_to_its_documented_range(
    sqlite_app: Flask, query: str, status: int
) -> None:
    document = openapi_document()
    params = {
        p["name"]: p["schema"] for p in document["paths"]["/admin/audit"]["get"]["parameters"]
    }
    assert params["offset"]["minimum"] == 0 and "maximum" not in params["offset"]
    assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 1000)
    assert "400" in document["paths"]["/admin/audit"]["get"]["responses"]
    queue = sqlite_app.extensions["xephang"].queue
    secret, _info = create_token(queue.db, "admin")
    answer = sqlite_app.test_client().get(
        f"{PREFIX}/admin/audit{query}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == status, answer.get_json()
    if status == 400:
        assert answer.get_json()["field"] in ("limit", "offset")


@pytest.mark.parametrize(
    "key",
    ["a", "order-42", " spaced ", "x" * 200, "~!@#$%^&*()", "", "   ", "x" * 201, "khóa", "a\tb"],
)
def test_the_idempotency_key_rule_is_the_documented_one(sqlite_app: Flask, key: str) -> None:
    """The header's documented pattern and length accept exactly the keys the server
    takes; a key reused for another request is the documented 422."""
    header = openapi_document()["paths"]["/tickets"]["post"]["parameters"][0]
    assert header["name"] == "Idempotency-Key"
    schema = header["schema"]
    documented = (
        schema["minLength"] <= len(key) <= schema["maxLength"]
        and re.fullmatch(schema["pattern"].strip("^$"), key) is not None
    )
    queue = sqlite_app.extensions["xephang"].queue
    secret, _info = create_token(queue.db, "admin")
    headers = {
        "Authorization": f"Bearer {secret}",
        "Idempotency-Key": key.encode().decode("latin-1"),
    }
    client = sqlite_app.test_client()
    issued = client.post(f"{PREFIX}/tickets", json={"service": "HT"}, headers=headers)
    assert (issued.status_code == 201) == documented, issued.get_json()
    if documented:
        other = client.post(f"{PREFIX}/counters/2/next", json={}, headers=headers)
        assert other.status_code == 422, other.get_json()
        assert "422" in header["description"]
        refused = openapi_document()["paths"]["/counters/{number}/next"]["post"]["responses"]
        assert "Idempotency-Key" in refused["422"]["description"]


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_schemas_are_the_models_and_only_the_issue_answer_has_the_tracking_code() -> None:
    """Request bodies and answers are pydantic's schemas of the models; every reference
    resolves; ``track_code`` is in ``IssuedTicket`` alone, the answer to POST /tickets."""
    document = openapi_document()
    schemas = document["components"]["schemas"]
    for route in ROUTES:
        if route.body is not None:
            generated = route.body.model_json_schema()
            assert set(schemas[route.body.__name__]["properties"]) == set(generated["properties"])
            assert set(schemas[route.body.__name__].get("required", [])) == set(
                generated.get("required", [])
            )
    for model in ANSWERS:
        assert set(schemas[model.__name__]["properties"]) == set(model.model_fields)
    for ref in _refs(document):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    assert "track_code" in schemas["IssuedTicket"]["required"]
    carrying = {
        name for name, schema in schemas.items() if "track_code" in schema.get("properties", {})
    }
    assert carrying == {"IssuedTicket"}
    answering = {
        (method, path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for answer in operation["responses"].values()
        if "IssuedTicket" in json.dumps(answer)
    }
    assert answering == {("post", "/tickets")}
