"""Dashboard: volume by sentiment, first-response percentiles, cases by state, frequent negative words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from monitor.models import Case, Mention, utcnow
from web.charts import horizontal_bars, stacked_bars
from web.dashboard import percentile


@pytest.mark.parametrize(
    ("values", "pct", "expected"),
    [
        ([], 50, 0.0),
        ([5.0], 90, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.0),
        ([float(v) for v in range(1, 11)], 90, 9.0),
        ([10.0, 1.0, 5.0], 100, 10.0),
    ],
)
def test_percentile(values: list[float], pct: float, expected: float) -> None:
    assert percentile(values, pct) == expected


def test_charts_escape_labels() -> None:
    svg = str(horizontal_bars([("<script>", 3.0)], "t<i>tle", marker=2.0))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.startswith("<svg")
    svg = str(stacked_bars(["2026-11-20"], {"negative": [2], "positive": [1]}, "volume"))
    assert svg.count("<rect") == 2


def test_dashboard_numbers(
    client: FlaskClient, auth: Any, make_mention: Callable[..., Mention], make_case: Callable[..., Case]
) -> None:
    now = utcnow()
    for minutes in (10, 20, 30, 40, 300):
        created = now - timedelta(hours=6)
        make_case(
            make_mention("refund refund delayed again"),
            state="replied",
            created_at=created,
            first_response_at=created + timedelta(minutes=minutes),
            sla_due_at=created + timedelta(minutes=240),
        )
    make_mention("lovely service", sentiment="positive")
    make_case(make_mention("refund delayed"), state="new")
    auth.login("agent")
    body = client.get("/dashboard").get_data(as_text=True)
    assert "Median <strong>30.0 min</strong>" in body
    assert "90th percentile <strong>300.0 min</strong>" in body
    assert "80% within their SLA" in body
    assert "negative 6" in body and "positive 1" in body
    assert ">refund</text>" in body and ">delayed</text>" in body
    assert body.count("<svg") == 4
    assert client.get("/dashboard?days=abc").status_code == 200
    assert "last 90 days" in client.get("/dashboard?days=5000").get_data(as_text=True)


def test_empty_dashboard(client: FlaskClient, auth: Any) -> None:
    auth.login("agent")
    body = client.get("/dashboard").get_data(as_text=True)
    assert "has been answered" in body and "No negative mentions in the last 14 days" in body
