"""The fault-injection script, short version: every fault of issue 12 is survived (real PostgreSQL)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import faults


@pytest.fixture(autouse=True)
def _real_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test measures real waits (rate limit, pauses): undo the suite's no-op sleep."""
    monkeypatch.setattr("time.sleep", faults.threading.Event().wait)
    monkeypatch.setattr(faults.alerts, "SEND_TIMEOUT", 3)


def test_short_fault_run(tmp_path: Path) -> None:
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set REPGUARD_TEST_DATABASE_URL")
        pytest.skip("set REPGUARD_TEST_DATABASE_URL to run on PostgreSQL")
    rows = {r["scenario"].split(".")[0]: r for r in faults.run_all(PG_URL, tmp_path, short=True)}
    assert rows["1"]["lost"] == 0 and rows["1"]["quarantined"] == 1
    assert rows["2"]["failed"] == 0 and rows["2"]["lost"] == 0 and rows["2"]["duplicated"] == 0
    assert rows["2"]["requests in first 5 s"] <= 4  # one per pause, not a burst
    assert rows["3"]["collection latency s"] < 15 and rows["3"]["duplicated"] == 0
    # Sends are scheduled 1/rate apart; arrival jitter can put one more in a sliding 1 s window.
    assert rows["5"]["mean rate /s"] <= 2.1 and rows["5"]["peak in any 1 s"] <= 3
    assert rows["5"]["min gap s"] >= 0.3 and rows["5"]["lost"] == 0 and rows["5"]["duplicated"] == 0
    assert rows["6"]["health"] == "cannot read replay file" and rows["6"]["stored by one --once"] == "60 of 60"
    polls = rows["7"]["polls"]
    assert rows["7"]["lost"] == 0 and "429) paused" in polls and "HTTP 500" in polls and "ReadTimeout" in polls
