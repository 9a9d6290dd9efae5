"""A local stand-in for a platform's reply endpoint: records every reply, can answer slowly, looks replies up.

It does not de-duplicate by idempotency key (many platforms do not), so a double post shows up here.
Run: python -m scripts.fake_platform --port 8765 [--delay 3]
"""

from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FakePlatform(ThreadingHTTPServer):
    """Accepts POST /replies, answers GET /replies?idempotency_key=K and GET /posts."""

    daemon_threads = True

    def __init__(self, port: int = 0, delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.posts: list[dict[str, Any]] = []
        self.lookups = 0
        self.delay = delay  # seconds to wait after storing a reply before answering (a slow platform)
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        """The reply endpoint URL."""
        return f"http://127.0.0.1:{self.server_address[1]}/replies"

    def start(self) -> FakePlatform:
        """Serve in a background thread."""
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


class _Handler(BaseHTTPRequestHandler):
    server: FakePlatform

    def _send(self, code: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        record = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        with self.server.lock:
            self.server.posts.append({**record, "header_key": self.headers.get("Idempotency-Key")})
            n = len(self.server.posts)
        threading.Event().wait(self.server.delay)  # stored already: a client that gives up has still posted
        try:
            self._send(200, {"id": f"fake-{n}", "url": f"https://x.com/brand/status/{9000 + n}"})
        except OSError:
            pass  # the client hung up (its timeout): the reply stays posted

    def do_GET(self) -> None:
        if urlsplit(self.path).path == "/posts":
            with self.server.lock:
                self._send(200, list(self.server.posts))
            return
        key = parse_qs(urlsplit(self.path).query).get("idempotency_key", [""])[0]
        with self.server.lock:
            self.server.lookups += 1
            hits = [i for i, p in enumerate(self.server.posts, 1) if p.get("idempotency_key") == key]
        if hits:
            self._send(200, {"id": f"fake-{hits[0]}", "url": f"https://x.com/brand/status/{9000 + hits[0]}"})
        else:
            self._send(404, {"error": "not found"})

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    server = FakePlatform(args.port, args.delay)
    print(f"fake platform on {server.url} (delay {args.delay} s)", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
