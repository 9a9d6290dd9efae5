"""Every registered route, fed malformed path, query, form and JSON values, answers without a 500."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from monitor.models import Case, Draft
from tests.web.conftest import AuthActions

# Ids past 64 bits, "²" (isdigit() but not int()), other scripts' digits, signs, floats, hex, padding.
BAD_NUMBERS = ["99999999999999999999999999", "9223372036854775808", "²", "١٢", "-1", "0", "1e9", "1.5",
               "0x10", " 7", "1_000", "NaN"]
BAD_VALUES = [*BAD_NUMBERS, "", "a" * 5000, "\x00", "%ED%A0%80", "'; drop table cases; --", "[[[[", "me",
              "\u202e1"]
# Every query and form name a view reads (see the request.args / request.form calls in web/).
FIELDS = ["page", "days", "case_id", "draft_id", "assign_to", "assignee", "state", "priority", "sentiment",
          "source", "q", "action", "user", "decision", "text", "comment", "override_reason", "next", "username",
          "password", "save", "submit", "private", "platform"]
SKIP = {"static", "auth.logout"}  # sign-out is covered in test_sessions; here it would end the fuzzing session


@pytest.fixture
def app_config(app_config: dict[str, Any], db_url: str) -> dict[str, Any]:
    """The app on SQLite and on PostgreSQL, which refuses more (NUL in text, integers past 64 bits)."""
    return {**app_config, "DATABASE_URL": db_url}


@pytest.fixture
def admin(auth: AuthActions) -> AuthActions:
    """Signed in as admin, who may call every route."""
    auth.login("admin")
    return auth


@pytest.fixture
def rows(make_draft: Callable[..., Draft], db: Any) -> Draft:
    """A case with a submitted draft, so that valid ids reach the views' real work too."""
    return make_draft()


def _paths(rule: Rule, valid: int) -> Iterator[str]:
    """Yield the rule's URL with each malformed (and one valid) value in every converter slot."""
    if not rule.arguments:
        yield rule.rule
        return
    for value in [*BAD_NUMBERS, str(valid)]:
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
        yield path


def _routes(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP]


def _check(client: FlaskClient, method: str, path: str, value: str) -> None:
    fields = dict.fromkeys(FIELDS, value)
    if method == "GET":
        resp = client.get(path, query_string=fields)
    else:
        resp = client.post(path, data={**fields, "case_id": [value, value]}, query_string={"next": value})
    assert resp.status_code < 500, f"{method} {path} with {value!r}: {resp.status_code}"


def test_every_route_is_registered_in_the_fuzz(app: Flask) -> None:
    endpoints = {r.endpoint for r in _routes(app)}
    assert {"cases.show", "inbox.bulk", "api.check_draft", "audit.index", "privacy.reveal"} <= endpoints


def test_malformed_values_never_give_500(app: Flask, client: FlaskClient, admin: AuthActions, rows: Draft) -> None:
    tried = 0
    for rule in _routes(app):
        for path in _paths(rule, rows.id):
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                for value in BAD_VALUES:
                    _check(client, method, path, value)
                    tried += 1
    assert tried > 500


@pytest.mark.parametrize(("body", "status"), [
    ("[" * 50_000 + "]" * 50_000, 400),
    ('{"text": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}", 400),
    ('{"text": "hello \\ud800 there"}', 400),
    ("not json at all", 400),
    ('{"text": 5}', 400),
    ('{"text": "ok", "platform": "\\udfff"}', 200),
    ('{"text": "ok", "case_id": 99999999999999999999999999}', 200),
    ('{"text": "ok", "case_id": 1e400}', 200),
    ('{"text": "ok", "case_id": true}', 200),
    ('{"text": "ok", "case_id": -5}', 200),
])
def test_api_check_answers_bad_json_with_4xx(client: FlaskClient, admin: AuthActions, body: str, status: int) -> None:
    resp = client.post("/api/check", data=body, content_type="application/json")
    assert resp.status_code == status, resp.get_data(as_text=True)[:200]


def test_api_check_still_works_with_a_real_case(client: FlaskClient, admin: AuthActions, rows: Draft,
                                                db: Any) -> None:
    case = db.get(Case, rows.case_id)
    resp = client.post("/api/check", data=json.dumps({"text": "Sorry, please DM us.", "case_id": case.id}),
                       content_type="application/json")
    assert resp.status_code == 200
    assert resp.get_json()["action"] in ("pass", "warn", "block")


def test_huge_id_in_path_is_404(client: FlaskClient, admin: AuthActions) -> None:
    assert client.get("/cases/99999999999999999999999999").status_code == 404
    assert client.get("/cases/%C2%B2").status_code == 404


def test_nul_in_any_value_is_a_clear_400(client: FlaskClient, admin: AuthActions) -> None:
    resp = client.get("/", query_string={"q": "a\x00b"})
    assert resp.status_code == 400 and b"NUL character" in resp.data
    assert client.post("/cases/bulk", data={"case_id": "1", "action": "close\x00"}).status_code == 400
