"""Several `repguard run` processes on one PostgreSQL database never process an item twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.db import make_engine, make_sessionmaker
from monitor.models import AlertDelivery, Case, Mention, Score
from tests.conftest import ROOT, RULES_YAML, Recorder, record, write_jsonl

N = 120


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_workers_share_the_work(db_url: str, tmp_path: Path, recorder: Recorder) -> None:
    write_jsonl(tmp_path / "mentions.jsonl", [
        record(n, f"Acme order {n}: " + ("terrible awful broken service" if n % 3 == 0 else "thanks, all good"))
        for n in range(1, N + 1)])
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES_YAML.replace("channels:", "rate_per_second: 1000\n  channels:"))
    env = {**os.environ, "REPGUARD_DATABASE_URL": db_url, "REPGUARD_HOME": str(tmp_path),
           "TEST_SLACK_SUPPORT": recorder.url("/support"), "TEST_SLACK_ESCALATIONS": recorder.url("/esc"),
           "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "web.cli", "run", "--once", "--rules", str(rules)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Mention)) == N
        assert s.scalar(select(func.count()).select_from(Score)) == N
        assert s.scalar(select(func.count()).select_from(Case)) == N // 3
        assert s.scalar(select(func.count()).select_from(AlertDelivery)) == N // 3
        assert s.scalar(select(func.count()).select_from(AlertDelivery)
                        .where(AlertDelivery.status == "sent")) == N // 3
    engine.dispose()
    # Both processes did part of the work, and together exactly all of it.
    scored = [int(out.split("scored=")[1].split(",")[0]) for out, _ in outputs]
    assert sum(scored) == N
    bodies = [json.loads(r["body"])["blocks"][1]["text"]["text"] for r in recorder.requests]
    assert len(bodies) == len(set(bodies)) == N // 3  # every alert delivered exactly once
