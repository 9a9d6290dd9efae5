"""Every source calls a timeout or dropped connection after sending "unknown", and a refused connection not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import requests
from urllib3.exceptions import NewConnectionError

from monitor.sources import Source, SourceError, maybe_sent
from tests import test_source_bluesky as bsky
from tests import test_source_mastodon as masto
from tests import test_source_reddit as reddit
from tests import test_source_x as x
from tests.test_source_bluesky import xrpc as xrpc


def refused() -> requests.ConnectionError:
    return requests.ConnectionError(NewConnectionError(None, "Failed to establish a new connection"))  # type: ignore[arg-type]


@pytest.mark.parametrize("exc, unknown", [
    (requests.ReadTimeout("read timed out"), True),
    (requests.ConnectionError("Connection aborted: RemoteDisconnected"), True),
    (requests.ConnectTimeout("connect timed out"), False),
    (httpx.ReadTimeout("read timed out"), True),
    (httpx.ConnectError("refused"), False),
    (ValueError("bad json"), False),
])
def test_maybe_sent(exc: BaseException, unknown: bool) -> None:
    assert maybe_sent(exc) is unknown
    assert maybe_sent(refused()) is False


def failing(exc: BaseException) -> Callable[..., Any]:
    def send(*args: Any, **kwargs: Any) -> Any:
        raise exc
    return send


@pytest.mark.parametrize("make, reply", [
    (x.make_source, x.reply), (masto.make_source, masto.reply), (reddit.make_source, reddit.reply),
], ids=["x", "mastodon", "reddit"])
def test_requests_sources_classify_timeouts(
    make: Callable[[], Source], reply: Callable[[], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for exc, unknown in ((requests.ReadTimeout("read timed out"), True), (refused(), False)):
        monkeypatch.setattr(requests.Session, "send", failing(exc))
        with pytest.raises(SourceError) as caught:
            make().post(reply())
        assert caught.value.unknown is unknown and not caught.value.permanent


def test_bluesky_classifies_a_timeout_after_sending(xrpc: bsky.Xrpc, monkeypatch: pytest.MonkeyPatch) -> None:
    """Signed in and the thread read over the local XRPC endpoint; only createRecord times out."""
    xrpc.queue("app.bsky.feed.getPostThread", bsky.thread())
    real = httpx.Client.send

    def send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if "createRecord" in str(request.url):
            raise httpx.ReadTimeout("read timed out", request=request)
        return real(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", send)
    with pytest.raises(SourceError) as caught:
        bsky.make_source(xrpc).post(bsky.reply())
    assert caught.value.unknown and not caught.value.permanent
