"""Take the README's inbox and dashboard (14 and 90 days) screenshots from a running demo (chromium, playwright)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    """Return a free local TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    """Start `repguard demo`, sign in as the agent and save the pages."""
    port, home = free_port(), tempfile.mkdtemp()
    env = {**os.environ, "REPGUARD_HOME": home, "PYTHONPATH": str(ROOT)}
    demo = subprocess.Popen([sys.executable, "-m", "web.cli", "demo", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    try:
        while demo.stdout and "sign in as" not in demo.stdout.readline():
            pass
        time.sleep(1)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            page.goto(f"{base}/login")
            page.fill("input[name=username]", "agent")
            page.fill("input[name=password]", "agent-demo")
            page.click("button[type=submit]")
            OUT.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(OUT / "inbox.png"))
            page.goto(f"{base}/dashboard")
            page.screenshot(path=str(OUT / "dashboard.png"), full_page=True)
            page.goto(f"{base}/dashboard?days=90")
            page.screenshot(path=str(OUT / "dashboard-90.png"), full_page=True)
            browser.close()
    finally:
        demo.terminate()
        demo.wait(timeout=30)


if __name__ == "__main__":
    main()
