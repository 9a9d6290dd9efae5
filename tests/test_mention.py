"""Platform timestamps become aware UTC datetimes, whichever form the platform sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.mention import parse_time, time_or_now


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-11-20T09:07:00Z", datetime(2026, 11, 20, 9, 7, tzinfo=UTC)),
    ("2026-11-20T09:07:00.123Z", datetime(2026, 11, 20, 9, 7, 0, 123000, tzinfo=UTC)),
    ("2026-11-20T10:07:00+01:00", datetime(2026, 11, 20, 9, 7, tzinfo=UTC)),
    ("2026-11-20T09:07:00", datetime(2026, 11, 20, 9, 7, tzinfo=UTC)),  # naive: taken as UTC
])
def test_parse_time(raw: str, expected: datetime) -> None:
    parsed = parse_time(raw)
    assert parsed == expected and parsed.tzinfo is not None


@pytest.mark.parametrize("bad", [None, 1700000000, "yesterday"])
def test_parse_time_rejects_what_is_not_iso(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_time(bad)


def test_missing_time_means_now() -> None:
    assert abs(time_or_now("") - datetime.now(UTC)) < timedelta(seconds=5)
    assert time_or_now("2026-01-01T00:00:00Z").year == 2026
