"""Replay recorded platform HTTP traffic (tests/fixtures/*) through the real client libraries.

Interactions are loaded from the recorded cassettes and replayed with vcrpy, in order, matched on
method, host and path (our requests carry more query parameters than the recordings; tests assert on
the parameters we send). `answer` re-assigns a recorded response to another request path, so a real
429 or 503 can be served in the middle of a run; the response itself is not edited. Only where a
platform has no recorded error response at all (X, Mastodon), `with_status` changes the status
code of a recorded response and keeps its real headers (e.g. `x-rate-limit-reset`).
"""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import vcr
import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load(name: str) -> list[dict[str, Any]]:
    """Return the interactions of a cassette under tests/fixtures (YAML or JSON)."""
    path = FIXTURES / name
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=yaml.Loader)
    for interaction in data["interactions"]:
        _gunzip(interaction["response"])
    return list(data["interactions"])


def _gunzip(response: dict[str, Any]) -> None:
    """Store gzip bodies decoded: vcrpy's stub does not decode them under urllib3 2.x.

    (betamax already stored decoded text under a gzip header; only the header goes then.)
    """
    headers = {k.lower(): k for k in response["headers"]}
    if "gzip" in str(response["headers"].get(headers.get("content-encoding", ""), "")):
        body = response["body"]["string"]
        if isinstance(body, bytes):
            response["body"]["string"] = gzip.decompress(body).decode("utf-8")
        for name in ("content-encoding", "content-length"):
            response["headers"].pop(headers.get(name, name), None)


def pick(name: str, method: str, path_part: str, nth: int = 0) -> dict[str, Any]:
    """Return the nth interaction of a cassette whose request matches method and a path fragment."""
    found = [i for i in load(name) if i["request"]["method"] == method and path_part in i["request"]["uri"]]
    return copy.deepcopy(found[nth])


def answer(interaction: dict[str, Any], method: str, uri: str) -> dict[str, Any]:
    """Serve a recorded response to a different request (e.g. a recorded 503 to a stream poll)."""
    moved = copy.deepcopy(interaction)
    moved["request"]["method"], moved["request"]["uri"] = method, uri
    return moved


def with_status(interaction: dict[str, Any], code: int, message: str) -> dict[str, Any]:
    """Keep a recorded response's headers but change its status (for platforms with no recorded error)."""
    changed = copy.deepcopy(interaction)
    changed["response"]["status"] = {"code": code, "message": message}
    return changed


@contextmanager
def replay(tmp_path: Path, interactions: list[dict[str, Any]]) -> Iterator[Any]:
    """Replay `interactions` in order; any request not in the list fails the test."""
    cassette = tmp_path / f"cassette-{id(interactions)}.yaml"
    cassette.write_text(yaml.dump({"interactions": interactions, "version": 1}), encoding="utf-8")
    player = vcr.VCR(
        record_mode="none", match_on=["method", "host", "path"], decode_compressed_response=False
    )
    with player.use_cassette(str(cassette), serializer="yaml") as played:
        sent: list[Any] = []
        play = played.play_response

        def spy(request: Any) -> Any:
            sent.append(request)
            return play(request)

        played.play_response = spy
        yield SimpleNamespace(requests=sent, cassette=played)


def query(request: Any) -> dict[str, list[str]]:
    """The query parameters of a request vcrpy saw."""
    return parse_qs(urlsplit(request.uri).query)
