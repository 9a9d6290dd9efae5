"""The one scoring API: sentiment, toxicity and language for a batch of texts."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

SENTIMENT_LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Sentiment:
    """Sentiment label with per-label probabilities."""

    label: str
    scores: dict[str, float]


@dataclass(frozen=True)
class Toxicity:
    """Overall toxicity probability plus optional sub-labels (insult, threat, ...).

    `hostility` is P(hostile) from the reply-hostility head (condescension, sarcasm, blame, veiled threats
    aimed at a customer); None when the backend has no such head or the text went to another language's model.
    """

    score: float
    labels: dict[str, float] = field(default_factory=dict)
    hostility: float | None = None


@dataclass(frozen=True)
class Language:
    """ISO 639-1 language code with confidence."""

    code: str
    score: float


@dataclass(frozen=True)
class Scores:
    """Everything the scorer knows about one text."""

    sentiment: Sentiment
    toxicity: Toxicity
    language: Language
    backend: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


class Scorer(Protocol):
    """A scoring backend: loads its models once and scores batches."""

    name: str

    def score(self, texts: Sequence[str]) -> list[Scores]:
        """Score a batch of texts."""
        ...


def _lexicon() -> Scorer:
    from moderation.lexicon import LexiconScorer

    return LexiconScorer()


def _onnx() -> Scorer:
    from moderation.textmodel import OnnxScorer

    return OnnxScorer()


def _detoxify() -> Scorer:
    from moderation.detox import DetoxifyScorer

    return DetoxifyScorer()


def _default_backend() -> str:
    """The shipped ONNX model when its artefact is installed, else the lexicon."""
    from importlib.util import find_spec

    from moderation.textmodel import artefact_present

    if find_spec("onnxruntime") is None or find_spec("tokenizers") is None:
        return "lexicon"
    return "onnx" if artefact_present() else "lexicon"


# Short name used in rules.yaml / REPGUARD_SCORER -> factory. Built-ins register like any other.
BACKENDS: dict[str, Any] = {"lexicon": _lexicon, "onnx": _onnx, "detoxify": _detoxify}
DEFAULT_BACKEND = _default_backend()

_loaded: dict[str, Scorer] = {}
_lock = threading.Lock()


def get_scorer(name: str | None = None) -> Scorer:
    """Return the (cached) scorer for a backend name; models load once."""
    name = name or os.environ.get("REPGUARD_SCORER") or DEFAULT_BACKEND
    if name not in BACKENDS:
        raise ValueError(f"unknown scorer {name!r}; available: {', '.join(sorted(BACKENDS))}")
    with _lock:
        if name not in _loaded:
            _loaded[name] = BACKENDS[name]()
        return _loaded[name]


def supported_languages(backend: str | None = None) -> frozenset[str]:
    """Language codes the backend's model was trained and measured on (others still get a score)."""
    try:
        scorer = get_scorer(backend)
    except ValueError:
        return frozenset({"en"})
    return frozenset(getattr(scorer, "languages", frozenset({"en"})))


def score(texts: Sequence[str], *, backend: str | None = None, language: str | None = None,
          sentiment: bool = True) -> list[Scores]:
    """Score texts in one batch with the configured backend.

    A caller that already knows the language (`language="en"`) or needs no re-weighed sentiment
    (`sentiment=False`: the reply checks only read toxicity) lets a backend that accepts these hints skip
    that work; other backends ignore them.
    """
    if not texts:
        return []
    scorer = get_scorer(backend)
    if getattr(scorer, "accepts_hints", False) and (language or not sentiment):
        return list(scorer.score(list(texts), language=language, sentiment=sentiment))  # type: ignore[call-arg]
    return scorer.score(list(texts))
