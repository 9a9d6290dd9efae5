"""Incident and recurring-problem pages in headless Chromium: merge two incidents, split, close, read.

Needs Debian's chromium at /usr/bin/chromium (scripts/install-browser.sh) and the `playwright` package.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.incidents import group_pending, members
from monitor.models import Case, Mention, Score, User, utcnow
from monitor.rules import load_rules

# the reply-flow test's fixtures: a live server with CSRF on, Debian's Chromium, rules with every check
from tests.web.test_browser import PASSWORDS, browser_rules, live_app, login, shot, watch  # noqa: F401
from web.auth import hash_password

pytestmark = pytest.mark.browser

OUTAGE = ["@LumenMobile network down? no signal since 8am", "no signal at all, is the lumen network down in Leeds?",
          "@LumenMobile whole network is dead in Bristol, zero bars", "lumen mobile outage again?? no service",
          "@LumenMobile réseau en panne, pas de réseau depuis 9h",
          "lumen mobile aucun signal à Lille, panne générale ?",
          "@LumenMobile sin señal desde las 9h, la red está caída"]
LOGIN = ["@LumenMobile the app login loop logs me out every time", "stuck in a login loop in the lumen app again",
         "lumen app keeps logging me out, login loop since the update"]


def _add(session: Session, n: int, text: str, minutes: int, lang: str) -> Mention:
    m = Mention(source="replay", platform="x", external_id=f"inc-{n}", brand="Lumen Mobile", author_id=f"u{n}",
                author_handle=f"customer{n}", author_followers=120 + 37 * n, text=text, language=lang,
                url=f"https://x.com/customer{n}/status/{n}", created_at=utcnow() - timedelta(minutes=minutes),
                stage="routed")
    session.add(m)
    session.flush()
    session.add(Score(mention_id=m.id, sentiment="negative", negative=0.9, neutral=0.05, positive=0.05,
                      toxicity=0.02, language=lang, language_score=0.99, backend="test"))
    return m


def seed_incidents(app: Flask, rules_path: Any) -> tuple[int, int]:
    """An agent, a three-language outage with cases on some mentions, and an app login loop in it."""
    with app.extensions["repguard.sessions"]() as session, session.begin():
        session.add(User(username="agent", role="agent", password_hash=hash_password(PASSWORDS["agent"])))
        for i in range(30):
            text = OUTAGE[i % len(OUTAGE)] + [" !", "", " 😡", " ugh"][i % 4]
            lang = "fr" if "réseau" in text or "signal à" in text else "es" if "señal" in text else "en"
            m = _add(session, i, text, 50 - i, lang)
            if i % 5 == 0:
                session.add(Case(mention_id=m.id, rule="negative", priority="normal", state="new",
                                 sla_due_at=utcnow() + timedelta(hours=2)))
        for i in range(9):
            _add(session, 100 + i, LOGIN[i % 3] + "!" * (i % 2), 45 - i, "en")
    ctx = Context(rules=load_rules(rules_path), sessions=app.extensions["repguard.sessions"], now=utcnow)
    with ctx.sessions() as session, session.begin():
        opened = group_pending(session, ctx)
        assert len(opened) == 2
        outage = max(opened, key=lambda i: i.size)
        inside = {m.id for m in members(session, outage.id)}
        cases = session.scalars(select(Case.mention_id)).all()
        return outage.size, sum(1 for mid in cases if mid in inside)


def test_incident_and_recurring_pages_in_chromium(
        live_app: tuple[Flask, str], browser: Browser, browser_rules: Any) -> None:  # noqa: F811 - fixtures
    app, base = live_app
    outage, cases = seed_incidents(app, browser_rules)
    assert outage >= 24  # most of the 30 outage posts, in three languages
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = watch(page)
    login(page, base, "agent")
    page.click("nav >> text=Incidents")
    rows = page.locator("tr.incident-row")
    expect(rows).to_have_count(2)
    rows.filter(has_text="login").locator("a").click()
    page.click("button:has-text('Merge')")  # the login loop into the outage, the only other open incident
    expect(page.locator(".flash.ok")).to_contain_text("merged into this one")
    expect(page.locator("h1")).to_contain_text(f"{outage + 9} mentions")
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.locator(".lang")).to_have_count(3)  # en, fr, es
    expect(page.locator("ul.phrases li").first).to_be_visible()
    expect(page.locator("a[href^='/cases/']")).to_have_count(cases)
    for box in page.locator("tr.member-row", has_text="login").locator("input[type=checkbox]").all():
        box.check()
    page.click("text=Split the ticked mentions into a new incident")
    expect(page.locator(".flash.ok")).to_contain_text("9 mentions split off")
    expect(page.locator("h1")).to_contain_text("9 mentions")
    page.click("text=Close incident")
    expect(page.locator(".flash.ok")).to_contain_text("Incident closed.")
    page.click("nav >> text=Incidents")
    page.locator("tr.incident-row", has_text="open").first.locator("a").click()
    expect(page.locator("h1")).to_contain_text(f"{outage} mentions")
    shot(page, "incident", docs=True)
    page.click("nav >> text=Recurring")
    page.select_option("select[name=days]", "30")
    page.click("form.filters button")
    expect(page.locator("h1")).to_contain_text("last 30 days")
    expect(page.locator("section.problem").first).to_be_visible()
    expect(page.locator("section.problem svg.chart").first).to_be_visible()
    shot(page, "recurring", docs=True)
    assert problems == []
