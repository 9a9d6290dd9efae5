"""Black-box scenario of the reply path: a real `repguard serve` and `repguard run` against a local fake platform.

Everything goes over HTTP as a browser would (sign-in, CSRF tokens, forms); the platform is
scripts/fake_platform.py, which records every reply it receives. Run: python -m scripts.reply_scenario
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import yaml

from monitor.rules import DEFAULT_RULES
from monitor.sources import replay
from scripts.fake_platform import FakePlatform

ROOT = Path(__file__).resolve().parent.parent
UNDO = 3
USERS = {"ann": "agent", "ben": "agent", "abe": "approver", "amy": "approver"}
MENTIONS = [
    "@LumenMobile terrible awful service, my bill doubled and nobody answers",
    "@LumenMobile awful, furious: roaming broke again, terrible support",
    "@LumenMobile terrible, I was charged twice, awful and angry",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def repguard(env: dict[str, str], *args: str, stdin: str = "") -> str:
    """Run the repguard command line and return its output (fails loudly)."""
    exe = Path(sys.executable).with_name("repguard")
    done = subprocess.run([str(exe), *args], env=env, input=stdin, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"repguard {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def set_up(home: Path, platform_url: str) -> dict[str, str]:
    """Rules with a short undo window, three negative mentions, four users, one pipeline pass."""
    rules = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    mentions = home / "mentions.jsonl"
    mentions.write_text("".join(json.dumps({"id": f"s{i}", "platform": "x", "text": t, "lang": "en",
                                            "author": {"id": f"u{i}", "handle": f"cust{i}", "followers": 50}}) + "\n"
                                for i, t in enumerate(MENTIONS, 1)), encoding="utf-8")
    rules["sources"] = {"replay": {"path": str(mentions)}}
    rules["moderation"]["scorer"] = "lexicon"
    rules["replies"] = {"undo_seconds": UNDO}
    (home / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "REPGUARD_HOME": str(home), "REPGUARD_RULES": str(home / "rules.yaml"),
           "REPGUARD_REPLAY_POST_URL": platform_url}
    for name, role in USERS.items():
        repguard(env, "users", "add", name, "--role", role, "--password-stdin", stdin=f"pw-{name}-scenario\n")
    repguard(env, "run", "--once")
    return env


class Browser:
    """One signed-in person: keeps the session cookie and sends the CSRF token with every form."""

    def __init__(self, base: str, name: str) -> None:
        self.base, self.http = base, requests.Session()
        self.post("/login", username=name, password=f"pw-{name}-scenario")

    def get(self, path: str) -> str:
        return self.http.get(self.base + path, timeout=30).text

    def post(self, path: str, **form: Any) -> requests.Response:
        page = self.get(path if path == "/login" else "/")
        token = re.search(r'name="csrf-token" content="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
        assert token is not None, "no CSRF token on the page"
        data = {"csrf_token": token.group(1) or token.group(2), **form}
        return self.http.post(self.base + path, data=data, timeout=60)

    def queue(self) -> dict[int, str]:
        """Draft id -> the version hash the approval queue shows for it."""
        page = self.get("/approvals")
        found: dict[int, str] = {}
        for m in re.finditer(r'id="draft-(\d+)"', page):
            h = re.search(r'name="version_hash" value="([0-9a-f]{64})"', page[m.end():])
            found[int(m.group(1))] = h.group(1) if h else ""
        return found


def flash(resp: requests.Response) -> str:
    """The error or confirmation message shown after a form."""
    msgs = re.findall(r'class="flash (?:error|ok)"[^>]*>(.*?)<', resp.text, re.S)
    return " ".join(m.strip() for m in msgs).replace("&#34;", '"').replace("&#39;", "'") or f"HTTP {resp.status_code}"


def newest_draft(b: Browser, case_id: int) -> int:
    return max(int(i) for i in re.findall(r'id="draft-(\d+)"', b.get(f"/cases/{case_id}")))


def report(name: str, ok: bool, detail: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {name}\n      {detail}", flush=True)
    return ok


def rewrite_and_stale(ann: Browser, abe: Browser, amy: Browser) -> tuple[list[bool], int]:
    """An approver who rewrote a draft cannot approve it; an approval of an older version is refused."""
    ann.post("/cases/1/drafts", text="Sorry about this, please DM us your account number.", submit="1")
    d1 = newest_draft(ann, 1)
    abe.post("/cases/1/drafts", text="Sorry! DM us.", draft_id=str(d1), submit="1")
    # abe's queue offers no approve button for his own text: send the form by hand, with the right hash.
    r = abe.post(f"/drafts/{d1}/review", decision="approve", version_hash=amy.queue()[d1])
    results = [report("approver rewrite refused", r.status_code == 400, f"HTTP {r.status_code}: {flash(r)}")]
    seen = amy.queue()[d1]
    ann.post("/cases/1/drafts", text="Sorry! Pay the fee at https://lumenmobile.example/pay to fix it.",
             draft_id=str(d1), submit="1")
    r = amy.post(f"/drafts/{d1}/review", decision="approve", version_hash=seen)
    results.append(report("stale approval refused", r.status_code == 409, f"HTTP {r.status_code}: {flash(r)}"))
    return results, d1


def second_reply(ben: Browser) -> bool:
    """A colleague's second public reply to the same post is refused until it supersedes the first."""
    ben.post("/cases/1/drafts", text="We are looking into your bill right now.")
    r = ben.post("/cases/1/drafts", text="We are looking into your bill right now.",
                 draft_id=str(newest_draft(ben, 1)), submit="1")
    return report("second public reply refused without supersede",
                  "supersede" in flash(r) and "not submitted" in flash(r), flash(r))


def slow_platform(env: dict[str, str], platform: FakePlatform, ann: Browser) -> bool:
    """The platform stores the reply but answers after the client's timeout: looked up, posted once."""
    platform.delay = replay.POST_TIMEOUT + 2
    started = time.monotonic()
    for _ in range(3):
        repguard(env, "run", "--once")
    took, platform.delay = time.monotonic() - started, 0
    mine = [p for p in platform.posts if "lumenmobile.example/pay" in p["text"]]
    status = re.search(r'id="post-\d+"><h3>Post \d+ · (\w+)', ann.get("/cases/1"))
    state = status.group(1) if status else "?"
    return report("slow platform -> exactly one post", len(mine) == 1 and state == "posted",
                  f"3 pipeline passes in {took:.0f} s (client timeout {replay.POST_TIMEOUT:.0f} s): the platform got "
                  f"{len(mine)} POST and {platform.lookups} look-up(s); post status: {state}")


def placeholder_and_undo(env: dict[str, str], platform: FakePlatform, ann: Browser, abe: Browser) -> list[bool]:
    """A leftover redaction placeholder is refused; a reply cancelled in its undo window is never posted."""
    r = ann.post("/cases/2/drafts", text="Refund sent to your card [CREDIT_CARD].", submit="1")
    results = [report("placeholder blocked", "no override can pass it" in flash(r), flash(r))]
    ann.post("/cases/2/drafts", text="Sorry for the trouble, we fixed roaming on your line.",
             draft_id=str(newest_draft(ann, 2)), submit="1")
    d2 = newest_draft(ann, 2)
    abe.post(f"/drafts/{d2}/review", decision="approve", version_hash=abe.queue()[d2])
    post_id = int(re.findall(r'id="post-(\d+)"', ann.get("/cases/2"))[-1])
    r = ann.post(f"/posts/{post_id}/cancel")
    time.sleep(UNDO + 1)
    repguard(env, "run", "--once")
    roaming = [p for p in platform.posts if "roaming" in p["text"]]
    results.append(report("undo cancels a post", not roaming and r.ok,
                          f"{flash(r)} After the window the platform got {len(roaming)} POST of it."))
    return results


def scenarios(base: str, env: dict[str, str], platform: FakePlatform) -> list[bool]:
    """Run the six scenarios; each prints what the server answered."""
    ann, ben, abe, amy = (Browser(base, n) for n in USERS)
    results, d1 = rewrite_and_stale(ann, abe, amy)
    amy.post(f"/drafts/{d1}/review", decision="approve", version_hash=amy.queue()[d1])
    results.append(second_reply(ben))
    time.sleep(UNDO + 1)  # the approval above is past its undo window now
    results.append(slow_platform(env, platform, ann))
    return results + placeholder_and_undo(env, platform, ann, abe)


def main() -> int:
    """Start the fake platform and the server, run the scenarios, stop everything."""
    platform = FakePlatform().start()
    with tempfile.TemporaryDirectory() as tmp:
        env = set_up(Path(tmp), platform.url)
        port = free_port()
        server = subprocess.Popen([str(Path(sys.executable).with_name("repguard")), "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    requests.get(base + "/login", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.2)
            results = scenarios(base, env, platform)
        finally:
            server.terminate()
            server.wait(timeout=10)
            platform.shutdown()
    print(f"{sum(results)}/{len(results)} scenarios passed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
