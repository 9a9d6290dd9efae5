"""A platform added from outside (one class, one registry line) works end to end: collect, alert, length."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import Field
from sqlalchemy import select

from monitor.context import Context
from monitor.links import safe_post_url
from monitor.mention import Mention
from monitor.models import AlertDelivery
from monitor.models import Mention as MentionRow
from monitor.pipeline import Pipeline
from monitor.rules import RulesError, SourceConfig, parse_rules
from monitor.sources import SOURCES, Batch, Source
from tests.conftest import RULES_YAML, Recorder
from web.textcount import measure


class ForumOptions(SourceConfig):
    """The forum's own rules.yaml keys."""

    board: str = Field("general", description="Board to read.")


class ForumSource(Source):
    """A forum whose posts live on forum.example; replies count words, at most 50."""

    name = "forum"
    options = ForumOptions
    config: ForumOptions
    trusted_hosts = ("forum.example",)
    max_length = 50
    posts: ClassVar[list[dict[str, str]]] = []

    @classmethod
    def count_length(cls, text: str) -> int:
        return len(text.split())

    def collect(self, checkpoint: dict[str, Any]) -> Batch:
        after = int(checkpoint.get("after", 0))
        new = [p for p in self.posts if int(p["id"]) > after and p.get("board", "general") == self.config.board]
        mentions = [Mention(platform="forum", external_id=p["id"], text=p["text"], author_handle="poster",
                            created_at=datetime.now(UTC), url=p["url"]) for p in new]
        return Batch(mentions, {"after": max([after, *(int(p["id"]) for p in new)])}, reads=len(new))


@pytest.fixture
def forum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SOURCES, "forum", ForumSource)
    ForumSource.posts = [
        {"id": "1", "text": "Acme terrible awful service, furious", "url": "https://forum.example/t/1"},
        {"id": "2", "text": "Acme awful broken terrible again", "url": "https://evil.example/t/2"},
        {"id": "3", "text": "Acme terrible, on another board", "url": "https://forum.example/t/3", "board": "x"},
    ]


def test_registered_source_collects_alerts_and_measures(forum: None, ctx: Context, recorder: Recorder,
                                                        tmp_path: Path) -> None:
    forum_yaml = RULES_YAML.replace("  replay: {path: mentions.jsonl}", "  forum: {poll_interval: 5, board: general}")
    rules = parse_rules(forum_yaml, str(tmp_path / "rules.yaml"), tmp_path)
    c = Context(rules=rules, sessions=ctx.sessions, env={**ctx.env, "TEST_SLACK_SUPPORT": recorder.url("/s"),
                                                          "TEST_SLACK_ESCALATIONS": recorder.url("/e")})
    result = Pipeline(c).run_once()
    assert result.collected == 2
    with c.sessions() as s:
        assert {m.source for m in s.scalars(select(MentionRow))} == {"forum"}
        assert len(s.scalars(select(AlertDelivery).where(AlertDelivery.status == "sent")).all()) == 2
    buttons = {json.loads(r["body"])["blocks"][1]["text"]["text"]:
               [b.get("url") for b in json.loads(r["body"])["blocks"][3]["elements"]] for r in recorder.requests}
    assert "https://forum.example/t/1" in buttons["Acme terrible awful service, furious"]
    assert "https://evil.example/t/2" not in buttons["Acme awful broken terrible again"]  # untrusted host
    assert safe_post_url("https://www.forum.example/t/9", "forum") == "https://www.forum.example/t/9"
    length = measure("one two three", "forum")
    assert (length.count, length.limit) == (3, 50)
    assert ForumSource(rules.sources["forum"], rules).can_reply_privately({}) is False


def test_registered_source_keys_are_checked_with_its_options(forum: None) -> None:
    with pytest.raises(RulesError) as info:
        parse_rules(RULES_YAML.replace("  replay: {path: mentions.jsonl}", "  forum: {bord: news}"), "r.yaml")
    assert any(": sources.forum.bord: unknown key 'bord'; did you mean 'board'?" in str(e) for e in info.value.errors)
    rules = parse_rules(RULES_YAML.replace("  replay: {path: mentions.jsonl}", "  forum: {board: news}"), "r.yaml")
    assert isinstance(rules.sources["forum"], ForumOptions) and rules.sources["forum"].board == "news"
