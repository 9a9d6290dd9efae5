"""A care agent's day in headless Chromium: queue, keyboard, note and tag, rejection notice, fix, approval,
CSV export and the inbox on a 390 px phone.

Needs Debian's chromium at /usr/bin/chromium (scripts/install-browser.sh) and the `playwright` package.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from monitor.models import Case, Mention, Score, User, utcnow
from tests.web.test_browser import shot, watch
from web import create_app
from web.auth import hash_password

pytestmark = pytest.mark.browser
PASSWORDS = {"agent": "agent-pass-1", "approver": "approver-pass-1"}
FIRST = "Sorry about the bill, we are looking into it."
FIXED = "Sorry about the bill: the extra charge is refunded today. Thanks for your patience."


@pytest.fixture
def live_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Flask, str]]:
    """Serve the app with CSRF on, as in production."""
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path / "instance"))
    app = create_app({"SECRET_KEY": "care-day", "DATABASE_URL": f"sqlite:///{tmp_path / 'day.db'}"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["repguard.engine"].dispose()


def _case(session: Session, n: int, text: str, queue: str, due: timedelta, **extra: Any) -> Case:
    mention = Mention(source="replay", platform="x", external_id=f"day-{n}", brand="Lumen Mobile",
                      author_id=f"u{n}", author_handle=f"customer{n}", author_name=f"Customer {n}",
                      author_followers=100 * n, text=text, language="en", url=f"https://x.com/c{n}/status/{n}",
                      created_at=utcnow() - timedelta(minutes=30), stage="routed")
    session.add(mention)
    session.flush()
    session.add(Score(mention_id=mention.id, sentiment="negative", negative=0.8, neutral=0.1, positive=0.1,
                      toxicity=0.02, language="en", language_score=0.99, backend="test"))
    case = Case(mention_id=mention.id, rule="negative", queue=queue, priority="normal", state="new",
                sla_due_at=utcnow() + due, **extra)
    session.add(case)
    session.flush()
    return case


def seed(app: Flask) -> dict[str, int]:
    """Two users; cases in the inbox, review and privacy queues."""
    with app.extensions["repguard.sessions"]() as session, session.begin():
        for name, role in (("agent", "agent"), ("approver", "approver")):
            session.add(User(username=name, role=role, password_hash=hash_password(PASSWORDS[name])))
        _case(session, 1, "@LumenMobile the app logs me out every hour", "inbox", timedelta(hours=3))
        _case(session, 2, "@LumenMobile no signal in Lyon since Monday", "review", timedelta(hours=20))
        bill = _case(session, 3, "@LumenMobile my bill doubled this month, why?", "privacy", timedelta(hours=1))
        other = _case(session, 4, "@LumenMobile someone posted my address in your forum", "privacy",
                      timedelta(hours=2))
        return {"bill": bill.id, "other": other.id}


def login(page: Page, base: str, username: str) -> None:
    """Sign in through the form."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    expect(page.locator(".who")).to_contain_text(username)


def triage(page: Page, base: str, ids: dict[str, int]) -> None:
    """Filter to the privacy queue, assign the first case by keyboard, open it with Enter."""
    login(page, base, "agent")
    expect(page.locator("#badge-open")).to_have_text("4")
    page.click(".queues a[data-queue=privacy]")
    rows = page.locator("tr.case-row")
    expect(rows).to_have_count(2)
    page.keyboard.press("?")
    expect(page.locator("#shortcut-help")).to_be_visible()
    expect(page.locator("#shortcut-help")).to_contain_text("assign the case to me")
    page.keyboard.press("Escape")
    expect(page.locator("#shortcut-help")).to_be_hidden()
    page.keyboard.press("j")
    expect(rows.first).to_have_class("case-row focused")
    page.keyboard.press("a")
    expect(page.locator(".flash.ok")).to_have_text("Assigned 1 case(s) to agent.")
    expect(page).to_have_url(f"{base}/?queue=privacy")  # still in the queue
    expect(page.locator(f"tr[data-case-id='{ids['bill']}'] td.assignee")).to_have_text("agent")
    expect(page.locator("#badge-mine")).to_have_text("1")
    shot(page, "inbox-queue", docs=True)
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(f"Case {ids['bill']}")


def note_tag_and_draft(page: Page) -> None:
    """Add an internal note and a tag, see why the case was routed, submit a first draft."""
    expect(page.locator("#why")).to_contain_text("sentiment negative is one of negative")
    page.fill("#note-text", "Called billing: the roaming pack was charged twice.")
    page.click("#notes button[type=submit]")
    expect(page.locator("#notes .note")).to_contain_text("charged twice")
    page.fill("#tag-input", "Billing, roaming")
    page.click("#tags form:has(#tag-input) button[type=submit]")
    expect(page.locator("#tags .tag")).to_have_count(2)
    page.select_option("#case-type", "billing")
    page.click("#tags form:has(#case-type) button[type=submit]")
    expect(page.locator(".flash.ok")).to_have_text("Case type: billing.")
    page.fill("#draft-text", FIRST)
    page.click("#submit-draft")
    expect(page.locator(".flash.ok")).to_contain_text("Submitted for approval.")
    shot(page, "case-care", docs=True)


def review(page: Page, base: str, decision: str) -> None:
    """The approver sees the draft at the top of the queue and rejects (with a comment) or approves it."""
    login(page, base, "approver")
    expect(page.locator("#badge-approvals")).to_have_text("1")
    page.goto(f"{base}/approvals")
    if decision == "reject":
        page.fill("input[name=comment]", "Say when the refund arrives.")
        page.click("button[value=reject]")
        expect(page.locator(".flash.ok")).to_contain_text("Rejected")
    else:
        page.click("button.approve")
        expect(page.locator(".flash.ok")).to_contain_text("Approved")


def test_a_care_agents_day(browser: Browser, live_app: tuple[Flask, str], tmp_path: Path) -> None:
    """Triage, note, tag, draft; rejection notice; fix; approval; CSV; the inbox on a phone."""
    app, base = live_app
    ids = seed(app)
    agent = browser.new_page(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    approver = browser.new_page(viewport={"width": 1360, "height": 900})
    problems = watch(agent) + watch(approver)
    triage(agent, base, ids)
    note_tag_and_draft(agent)

    review(approver, base, "reject")
    agent.goto(f"{base}/")
    expect(agent.locator("#badge-unread")).to_have_text("1")
    agent.click("a.notices")
    notice = agent.locator("li.notification.draft_rejected")
    expect(notice).to_contain_text("was rejected by approver: Say when the refund arrives.")
    shot(agent, "notifications", docs=True)
    notice.locator("a").click()
    expect(agent.locator("#draft-text")).to_have_value(FIRST)
    agent.fill("#draft-text", FIXED)
    agent.click("#submit-draft")
    expect(agent.locator(".flash.ok")).to_contain_text("Submitted for approval.")

    approver.reload()
    review(approver, base, "approve")
    agent.goto(f"{base}/notifications")
    expect(agent.locator("li.notification.draft_approved")).to_contain_text("was approved by approver")

    agent.goto(f"{base}/?state=all&tag=billing")
    with agent.expect_download() as info:
        agent.click("a.export")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert [(r["case_id"], r["tags"], r["type"], r["assignee"]) for r in rows] == [
        (str(ids["bill"]), "billing roaming", "billing", "agent")]

    agent.set_viewport_size({"width": 390, "height": 844})
    agent.goto(f"{base}/")
    expect(agent.locator("tr.case-row").first).to_be_visible()
    widths = agent.evaluate("[document.documentElement.scrollWidth, document.querySelector('header').scrollWidth]")
    assert max(widths) <= 390, widths
    shot(agent, "inbox-phone", docs=True)
    agent.goto(f"{base}/dashboard?days=90")
    expect(agent.locator("h1")).to_contain_text("last 90 days")
    assert problems == []
