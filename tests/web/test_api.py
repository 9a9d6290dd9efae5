"""Live-check API and the platforms' character counting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from monitor.models import Case, Mention
from web.textcount import measure


def test_check_returns_verdict_findings_and_length(
    client: FlaskClient, auth: Any, make_case: Callable[..., Case]
) -> None:
    case = make_case()
    auth.login("agent")
    data = client.post(
        "/api/check", json={"text": "You are an idiot. Calm down.", "case_id": case.id}
    ).get_json()
    assert data["action"] == "block"
    assert {f["check"] for f in data["findings"]} >= {"toxicity", "policy"}
    assert all(
        {"start", "end", "text", "message", "suggestions", "severity"} <= set(f) for f in data["findings"]
    )
    assert data["length"] == {"platform": "x", "count": 28, "limit": 280, "remaining": 252}


def test_check_uses_the_case_platform(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    case = make_case(make_mention(platform="mastodon"))
    auth.login("agent")
    data = client.post("/api/check", json={"text": "Hello", "case_id": case.id, "platform": "x"}).get_json()
    assert data["length"]["platform"] == "mastodon" and data["length"]["limit"] == 500


@pytest.mark.parametrize("payload", [None, [], {"text": 3}, {"text": "x" * 10_001}, {"nope": "x"}])
def test_bad_payloads_get_400_with_a_hint(client: FlaskClient, auth: Any, payload: Any) -> None:
    auth.login("agent")
    resp = client.post("/api/check", json=payload) if payload is not None else client.post("/api/check")
    assert resp.status_code == 400 and "text" in resp.get_json()["error"]


def test_outsider_gets_json_401(client: FlaskClient) -> None:
    resp = client.post("/api/check", json={"text": "hi"})
    assert resp.status_code == 401 and resp.get_json() == {"error": "sign in first"}


@pytest.mark.parametrize(
    ("text", "platform", "count"),
    [
        ("hello", "x", 5),
        ("see https://help.lumenmobile.example/a/very/long/path/that/goes/on", "x", 4 + 23),
        ("visit lumenmobile.example now", "x", 6 + 23 + 4),
        ("日本語", "x", 6),
        ("café", "x", 4),
        ("cafe\u0301", "x", 4),
        ("ok 👍", "x", 5),
        ("hi @alice@mastodon.social", "mastodon", 9),
        ("link https://example.org/" + "a" * 60, "mastodon", 5 + 23),
        ("日本語", "bluesky", 3),
        ("anything goes", "reddit", 13),
        ("unknown platform", "forum", 16),
    ],
)
def test_platform_character_counts(text: str, platform: str, count: int) -> None:
    assert measure(text, platform).count == count


def test_remaining_goes_negative_over_the_limit() -> None:
    length = measure("a" * 281, "x")
    assert length.remaining == -1 and length.to_dict()["limit"] == 280
