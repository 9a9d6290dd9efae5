"""End to end in headless Chromium: draft with live checks, four-eyes approval, posting exactly once.

Needs Debian's chromium at /usr/bin/chromium (scripts/install-browser.sh) and the `playwright` package.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from moderation import check
from monitor.context import Context
from monitor.models import Case, Draft, Mention, Post, Score, User, utcnow
from monitor.poster import post_pending
from monitor.rules import DEFAULT_RULES, load_rules
from monitor.sources import Source
from monitor.sources.replay import ReplaySource
from web import create_app
from web.auth import hash_password

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DOCS_SHOTS = ROOT / "docs" / "screenshots"
DRAFT = "Sorry for the trouble. Your refnud is on its way to card 4111 1111 1111 1111. You are an idiot."
FIXED = "Sorry for the trouble. Your refund is on its way to card [CREDIT_CARD]."
FINAL = "Sorry for the trouble. Your refund is on its way to the card on your account."
HOSTILE_TEXT = '<img src=x onerror="window.__pwned=1"> see <a href="javascript:window.__pwned=2">my proof</a>'
RTL_NAME = "Eve \u202egnp.exe"
PASSWORDS = {"agent": "agent-pass-1", "approver": "approver-pass-1"}


class FakePlatform(ThreadingHTTPServer):
    """A local stand-in for the platform's reply endpoint that records every request."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _PlatformHandler)
        self.posts: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        """Return the endpoint URL."""
        return f"http://127.0.0.1:{self.server_address[1]}/replies"


class _PlatformHandler(BaseHTTPRequestHandler):
    server: FakePlatform

    def _reply(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        record = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        with self.server.lock:
            self.server.posts.append({**record, "header_key": self.headers.get("Idempotency-Key")})
            n = len(self.server.posts)
        self._reply(200, {"id": f"fake-{n}", "url": f"https://x.com/LumenMobile/status/{9000 + n}"})

    def do_GET(self) -> None:
        key = parse_qs(urlsplit(self.path).query).get("idempotency_key", [""])[0]
        with self.server.lock:
            hits = [i for i, p in enumerate(self.server.posts, 1) if p["idempotency_key"] == key]
        if not hits:
            self._reply(404, {"error": "not found"})
        else:
            self._reply(
                200, {"id": f"fake-{hits[0]}", "url": f"https://x.com/LumenMobile/status/{9000 + hits[0]}"}
            )

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    """Run the fake platform endpoint."""
    server = FakePlatform()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser_rules(tmp_path: Path) -> Path:
    """Write rules.yaml with every reply check on: toxicity, spelling, pii and policy."""
    data = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    data["moderation"]["checks"] = ["toxicity", "spelling", "pii", "policy"]
    data["replies"] = {"undo_seconds": 30}
    data["sources"]["replay"]["path"] = str(ROOT / "demo" / "mentions.jsonl")
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def live_app(
    tmp_path: Path, browser_rules: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Flask, str]]:
    """Serve the app (CSRF on, as in production) on a local port."""
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path / "instance"))
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
            "RULES_PATH": str(browser_rules),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["repguard.engine"].dispose()


def _mention(session: Session, n: int, text: str, **fields: Any) -> Mention:
    values: dict[str, Any] = {
        "source": "replay",
        "platform": "x",
        "external_id": f"e2e-{n}",
        "brand": "Lumen Mobile",
        "author_id": "u-devon",
        "author_handle": "devon_k",
        "author_name": "Devon K.",
        "author_followers": 143,
        "text": text,
        "language": "en",
        "url": f"https://x.com/devon_k/status/{n}",
        "created_at": utcnow() - timedelta(hours=10 - n),
        "stage": "routed",
    }
    values.update(fields)
    mention = Mention(**values)
    session.add(mention)
    session.flush()
    session.add(
        Score(
            mention_id=mention.id,
            sentiment="negative",
            negative=0.8,
            neutral=0.15,
            positive=0.05,
            toxicity=0.05,
            language="en",
            language_score=0.99,
            backend="test",
        )
    )
    return mention


def seed(app: Flask) -> dict[str, int]:
    """Create the two users, a negative case with thread and history, and a hostile case."""
    with app.extensions["repguard.sessions"]() as session, session.begin():
        for name, role in (("agent", "agent"), ("approver", "approver")):
            session.add(User(username=name, role=role, password_hash=hash_password(PASSWORDS[name])))
        _mention(session, 1, "@LumenMobile roaming in Spain did not work at all last month.")
        _mention(
            session,
            2,
            "@LumenMobile is anyone there? My question from this morning is still open.",
            thread_id="e2e-3",
            author_handle="friend_of_devon",
            author_id="u-friend",
        )
        negative = _mention(
            session,
            3,
            "@LumenMobile my bill doubled this month and nobody can tell me why.",
            thread_id="e2e-3",
        )
        hostile = _mention(
            session,
            4,
            HOSTILE_TEXT,
            author_id="u-eve",
            author_handle="eve_rtl",
            author_name=RTL_NAME,
            url="javascript:window.__pwned=3",
        )
        now = utcnow()
        cases = [
            Case(
                mention_id=negative.id,
                rule="negative",
                priority="normal",
                state="new",
                sla_due_at=now + timedelta(hours=3),
            ),
            Case(
                mention_id=hostile.id,
                rule="negative",
                priority="high",
                state="new",
                sla_due_at=now - timedelta(minutes=20),
            ),
        ]
        session.add_all(cases)
        session.flush()
        return {"negative": cases[0].id, "hostile": cases[1].id}


def shot(page: Page, name: str, *, docs: bool = False) -> None:
    """Save a full-page screenshot as a test artefact (and for the README when asked)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if docs and os.environ.get("REPGUARD_UPDATE_SCREENSHOTS"):  # refresh the README's pictures on request
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SHOTS / f"{name}.png")


def login(page: Page, base: str, username: str) -> None:
    """Sign in through the form."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    expect(page.locator(".who")).to_contain_text(username)


def logout(page: Page) -> None:
    """Sign out through the header button."""
    page.click("form.logout button")
    expect(page.locator("input[name=username]")).to_be_visible()


def watch(page: Page) -> list[str]:
    """Collect console errors, CSP violations and dialogs (a dialog means a script ran)."""
    problems: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            problems.append(f"console: {msg.text} at {msg.location.get('url', '')}")

    def on_dialog(dialog: Dialog) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("dialog", on_dialog)
    return problems


def write_draft(page: Page) -> None:
    """Try a suggested reply, then type the draft, see the three highlights and apply each fix."""
    page.locator("li[data-template=response-time] button.use-suggestion").click()
    expect(page.locator("#draft-text")).to_have_value(re.compile(r"get back to you within a working day"))
    expect(page.locator("#counter")).not_to_have_text(re.compile(r"^0 /"))
    page.fill("#draft-text", "")
    page.locator("#draft-text").press_sequentially(DRAFT, delay=5)
    for name in ("spelling", "pii", "toxicity"):
        expect(page.locator(f"#highlights mark.finding[data-check={name}]")).to_have_count(1, timeout=30_000)
    expect(page.locator("#backdrop mark")).to_have_count(3)  # highlighted in the editor itself
    expect(page.locator("#verdict")).to_have_text("verdict: block")
    expect(page.locator("#counter")).to_contain_text("/ 280 (x)")
    page.locator("#highlights mark.finding[data-check=pii]").hover()
    expect(page.locator("#highlights mark.finding[data-check=pii] .tip")).to_be_visible()
    expect(page.locator("#highlights mark.finding[data-check=pii] .tip")).to_contain_text("[CREDIT_CARD]")
    shot(page, "draft-editor", docs=True)
    for name in ("toxicity", "spelling", "pii"):
        page.locator(f"#live-findings li[data-check={name}] button.apply-fix").click()
        expect(page.locator(f"#highlights mark.finding[data-check={name}]")).to_have_count(0, timeout=30_000)
    expect(page.locator("#draft-text")).to_have_value(FIXED)
    # The redaction placeholder the fix left is itself a block: nobody posts "[CREDIT_CARD]".
    expect(page.locator("#highlights mark.finding[data-check=integrity]")).to_have_count(1, timeout=30_000)
    expect(page.locator("#verdict")).to_have_text("verdict: block")
    page.fill("#draft-text", FINAL)
    expect(page.locator("#verdict")).to_have_text("verdict: pass", timeout=30_000)


def check_hostile(page: Page, base: str, case_id: int) -> None:
    """The hostile mention shows as text: no element, no script, no javascript: link."""
    page.goto(f"{base}/cases/{case_id}")
    text = page.locator(".mention-text")
    expect(text).to_contain_text('<img src=x onerror="window.__pwned=1">')
    assert text.locator("img, a").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    expect(page.locator("a.original")).to_have_count(0)
    expect(page.locator("#mention .name bdi")).to_have_text("Eve [U+202E]gnp.exe")
    assert page.evaluate("window.__pwned") is None


def post_once(app: Flask, platform: FakePlatform, rules_path: Path) -> None:
    """Run the posting stage twice against the fake platform; the reply must arrive exactly once."""
    rules = load_rules(rules_path)
    env = {"REPGUARD_REPLAY_POST_URL": platform.url}
    later = utcnow() + timedelta(seconds=rules.replies.undo_seconds + 1)  # after the undo window
    ctx = Context(rules=rules, sessions=app.extensions["repguard.sessions"], env=env, now=lambda: later)
    sources: dict[str, Source] = {"replay": ReplaySource(rules.sources["replay"], rules, env)}
    assert post_pending(ctx, sources) == 1
    assert post_pending(ctx, sources) == 0
    assert len(platform.posts) == 1
    with app.extensions["repguard.sessions"]() as session:
        post = session.scalars(select(Post)).one()
        assert post.status == "posted"
        assert platform.posts[0]["idempotency_key"] == platform.posts[0]["header_key"] == post.idempotency_key
    assert platform.posts[0]["text"] == FINAL


def test_reply_flow_in_chromium(
    browser: Browser, live_app: tuple[Flask, str], platform: FakePlatform, browser_rules: Path
) -> None:
    """Agent drafts with live checks, approver approves, the post reaches the platform once."""
    app, base = live_app
    ids = seed(app)
    check("warm up the checks", platform="x", policy=load_rules(browser_rules).moderation)
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    problems = watch(page)

    login(page, base, "agent")
    rows = page.locator("tr.case-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_class("case-row overdue")
    expect(rows.first).to_contain_text("<img src=x")
    shot(page, "inbox")
    page.click("text=my bill doubled this month")
    expect(page.locator("h1")).to_contain_text(f"Case {ids['negative']}")
    suited = [t for t in load_rules(browser_rules).templates if not t.routes or "negative" in t.routes]
    expect(page.locator(".suggestions li")).to_have_count(len(suited))
    expect(page.locator(".side-col")).to_contain_text("roaming in Spain")
    expect(page.locator(".main-col")).to_contain_text("is anyone there?")
    write_draft(page)
    page.click("#submit-draft")
    expect(page.locator(".flash.ok")).to_contain_text("Submitted for approval.")
    shot(page, "case-submitted")
    check_hostile(page, base, ids["hostile"])
    logout(page)

    login(page, base, "approver")
    page.goto(f"{base}/approvals")
    expect(page.locator(".draft-text")).to_have_text(FINAL)
    shot(page, "approvals")
    page.click("button.approve")
    expect(page.locator(".flash.ok")).to_contain_text("Approved")
    # Undo window: a countdown and a cancel button; cancelling puts the draft back in the queue.
    expect(page.locator(".undo-window .undo-countdown")).to_have_text(re.compile(r"^\d+ s$"))
    page.click(".undo-window .cancel-post button")
    expect(page.locator(".flash.ok")).to_contain_text("Cancelled")
    expect(page.locator(".draft-text")).to_have_text(FINAL)
    page.click("button.approve")
    expect(page.locator(".flash.ok")).to_contain_text("Approved")
    post_once(app, platform, browser_rules)
    page.goto(f"{base}/cases/{ids['negative']}")
    expect(page.locator("a.posted-link")).to_have_attribute("href", "https://x.com/LumenMobile/status/9001")
    shot(page, "case-posted")
    for name in ("dashboard", "rules", "audit"):
        page.goto(f"{base}/{name}")
        expect(page.locator("h1")).to_be_visible()
        shot(page, name)
    expect(page.locator("table.audit")).to_contain_text("approve")
    assert problems == []


def test_editor_guards_in_chromium(browser: Browser, live_app: tuple[Flask, str], browser_rules: Path) -> None:
    """Defect 5: "checking…" while a check is pending, suggestions insert at the cursor, a block asks first."""
    app, base = live_app
    ids = seed(app)
    check("warm up the checks", platform="x", policy=load_rules(browser_rules).moderation)
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    login(page, base, "agent")
    page.goto(f"{base}/cases/{ids['negative']}")
    area = page.locator("#draft-text")
    area.press_sequentially("Hello there.", delay=5)
    assert page.evaluate("document.getElementById('verdict').textContent") == "verdict: checking…"
    expect(page.locator("#verdict")).to_have_text("verdict: pass", timeout=30_000)
    area.press("End")
    page.locator("li[data-template=response-time] button.use-suggestion").click()
    expect(area).to_have_value(re.compile(r"^Hello there\. Thanks for flagging this, @devon_k"))
    area.fill("Calm down, we are on it.")
    expect(page.locator("#verdict")).to_have_text("verdict: block", timeout=30_000)
    asked: list[str] = []

    def answer(accept: bool) -> Callable[[Dialog], None]:
        def handle(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()
        return handle

    page.once("dialog", answer(False))
    page.click("#submit-draft")
    expect(page.locator(".flash")).to_have_count(0)
    assert asked and "blocking finding" in asked[0]
    page.once("dialog", answer(True))
    page.click("#submit-draft")
    expect(page.locator(".flash.ok")).to_contain_text("Submitted for approval.")
    with app.extensions["repguard.sessions"]() as session:
        draft = session.scalars(select(Draft)).one()
        assert draft.state == "submitted" and draft.action == "block"


def test_approval_guards_in_chromium(browser: Browser, live_app: tuple[Flask, str], browser_rules: Path) -> None:
    """Defects 2 and 8 in the browser: a text changed under the approver is refused; Bluesky has no DMs."""
    from monitor.replies import save_draft, submit

    app, base = live_app
    ids = seed(app)
    policy = load_rules(browser_rules).moderation
    sessions = app.extensions["repguard.sessions"]

    def agent_writes(text: str, draft_id: int | None = None) -> int:
        with sessions() as s, s.begin():
            agent = s.scalars(select(User).where(User.username == "agent")).one()
            case = s.get(Case, ids["negative"])
            draft = save_draft(s, case, agent, text, private=False, policy=policy,
                               draft=s.get(Draft, draft_id) if draft_id else None)
            submit(s, draft, agent, policy=policy)
            return draft.id

    draft_id = agent_writes("Sorry about the bill, we are checking it today.")
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    login(page, base, "approver")
    page.goto(f"{base}/approvals")
    expect(page.locator(".draft-text")).to_have_text("Sorry about the bill, we are checking it today.")
    changed = "Sorry! Pay the difference at https://lumenmobile.example/pay today."
    agent_writes(changed, draft_id)
    page.click("button.approve")
    expect(page.locator(".flash.error")).to_contain_text("The reply changed after you opened it: version 2 by agent")
    expect(page.locator(".draft-text")).to_have_text(changed)
    with sessions() as s:
        assert s.scalars(select(Post)).all() == []
    with sessions() as s, s.begin():
        sky = _mention(s, 5, "@lumenmobile.bsky.social my eSIM never activated", platform="bluesky",
                       author_handle="nora.bsky.social", url="https://bsky.app/profile/nora.bsky.social/post/3k")
        case = Case(mention_id=sky.id, rule="negative", priority="normal", state="new",
                    sla_due_at=utcnow() + timedelta(hours=1))
        s.add(case)
        s.flush()
        sky_case = case.id
    page.goto(f"{base}/cases/{sky_case}")
    expect(page.locator("#draft-private")).to_have_count(0)
    expect(page.locator(".editor")).to_contain_text("bluesky has no private messages")
