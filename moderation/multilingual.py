"""Multilingual sentiment and toxicity heads: logistic regressions over sentence vectors, numpy only.

textmodel_multi.json holds one pair of heads per encoder (`e5`, `use`), which encoder reads which language
(languages not listed go to the default encoder), per language a sentiment offset fitted on the training
sets' held-out carves (added to the log-probabilities: a language whose sources lean one way is re-centred)
and, under `cue_stacker`, a logistic regression over the heads' log-probabilities and per-language
service-failure cues (`moderation.servicecues`, fitted by scripts/fit_multilingual_stacker.py) that re-reads
the sentiment of the languages that have cues.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from moderation.embed import ENCODERS, available
from moderation.servicecues import CUES, FEATURES, features

MULTI_FILE = "textmodel_multi.json"


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


class Heads:
    """One encoder's sentiment (3 classes) and toxicity (toxic vs not) logistic regressions.

    e5's sentiment may come instead from its adapted top layers and their own head (`sentiment_adapter`,
    moderation.e5graph); without the adapter the frozen head answers, with a warning, because the cue
    stacker's weights were fitted on the adapted outputs.
    """

    def __init__(self, encoder: str, spec: dict[str, Any]) -> None:
        self.name = encoder
        self.encode = ENCODERS[encoder]
        self.sent_w = np.asarray(spec["sentiment"]["coef"], dtype=np.float32)
        self.sent_b = np.asarray(spec["sentiment"]["intercept"], dtype=np.float32)
        self.tox_w = np.asarray(spec["toxicity"]["coef"], dtype=np.float32).reshape(-1)
        self.tox_b = float(np.asarray(spec["toxicity"]["intercept"]).reshape(-1)[0])
        self.adapter_spec: dict[str, Any] | None = spec.get("sentiment_adapter")
        self._adapter_head: tuple[np.ndarray, np.ndarray] | None = None
        self._adapter_checked = False

    def adapter_head(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The adapted layers' sentiment head, once the encoder confirms it runs them; else None."""
        if not self._adapter_checked:
            self._adapter_checked = True
            if self.adapter_spec is not None:
                from moderation.e5onnx import adapter_head
                from moderation.embed import adapted_available

                if adapted_available():
                    self._adapter_head = adapter_head()
                else:
                    logging.getLogger(__name__).warning(
                        "e5 sentiment adapter unavailable; the frozen head answers (stacker fitted without it)")
        return self._adapter_head

    def predict(self, texts: list[str], adapted: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Return (n, 3) sentiment probabilities and (n,) toxicity probabilities.

        adapted=False keeps the frozen sentiment head (callers that read only toxicity skip the adapter's cost).
        """
        head = self.adapter_head() if adapted and self.name == "e5" else None
        if head is not None:
            from moderation.embed import embed_adapted

            vectors, tuned = embed_adapted(texts)
            sentiment = softmax(tuned @ head[0].T + head[1])
        else:
            vectors = self.encode(texts)
            sentiment = softmax(vectors @ self.sent_w.T + self.sent_b)
        toxicity = 1.0 / (1.0 + np.exp(-(vectors @ self.tox_w + self.tox_b)))
        return sentiment, np.asarray(toxicity)


class CueStacker:
    """Multinomial logistic regression over head log-probabilities and cue features, read from JSON."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if tuple(spec["features"]) != FEATURES:
            raise ValueError(f"cue stacker features {spec['features']} do not match {list(FEATURES)}")
        self.coef = np.asarray(spec["coef"], dtype=np.float64)
        self.intercept = np.asarray(spec["intercept"], dtype=np.float64)

    def apply(self, probs: np.ndarray, texts: list[str], languages: list[str]) -> np.ndarray:
        """Return (n, 3) re-read sentiment probabilities."""
        return softmax(features(probs, texts, languages) @ self.coef.T + self.intercept).astype(np.float32)


class MultilingualHeads:
    """Routes each text to its language's encoder and heads."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.languages: frozenset[str] = frozenset(spec.get("languages", ()))
        self.default: str = spec["default_encoder"]
        self.by_language: dict[str, str] = dict(spec.get("encoder_by_language", {}))
        # since round 13 sentiment may be read by another encoder than toxicity (e5's adapter for es and pt)
        self.sentiment_by_language = dict(spec.get("sentiment_encoder_by_language", self.by_language))
        self.offsets = {lang: np.asarray(v, dtype=np.float32) for lang, v in spec.get("sentiment_offset", {}).items()}
        self.heads = {name: Heads(name, h) for name, h in spec["heads"].items() if available(name)}
        self.stacker = CueStacker(spec["cue_stacker"]) if "cue_stacker" in spec else None
        if self.default not in self.heads:
            raise ValueError(f"the default encoder {self.default!r} is not installed")

    @classmethod
    def load(cls, path: Path) -> MultilingualHeads | None:
        """Read the heads; None when the file or the default encoder package is missing."""
        if not path.is_file():
            return None
        spec = json.loads(path.read_text(encoding="utf-8"))
        return cls(spec) if available(spec["default_encoder"]) else None

    def encoder_for(self, language: str, sentiment: bool = False) -> str:
        """The encoder that reads a language's toxicity (or sentiment); the default when its own is missing."""
        name = (self.sentiment_by_language if sentiment else self.by_language).get(language, self.default)
        return name if name in self.heads else self.default

    def predict(self, texts: Sequence[str], languages: Sequence[str],
                adapted: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Return (n, 3) sentiment probabilities (negative, neutral, positive) and (n,) toxicity.

        adapted=False: e5's frozen sentiment head instead of its adapter (for callers that read toxicity only).
        """
        sentiment = np.zeros((len(texts), 3), dtype=np.float32)
        toxicity = np.zeros(len(texts), dtype=np.float32)
        read = np.zeros(len(texts), dtype=bool)
        for name, rows in _groups(languages, lambda lang: self.encoder_for(lang)).items():
            senti, toxicity[rows] = self.heads[name].predict([texts[i] for i in rows], adapted)
            mine = [k for k, i in enumerate(rows) if self.encoder_for(languages[i], adapted) == name]
            sentiment[[rows[k] for k in mine]], read[[rows[k] for k in mine]] = senti[mine], True
        left = [i for i in range(len(texts)) if not read[i]]
        for name, rows in _groups([languages[i] for i in left], lambda lang: self.encoder_for(lang, True)).items():
            sentiment[[left[k] for k in rows]] = self.heads[name].predict([texts[left[k]] for k in rows])[0]
        for i, lang in enumerate(languages):
            if lang in self.offsets:
                sentiment[i] = softmax(np.log(np.maximum(sentiment[i:i + 1], 1e-9)) + self.offsets[lang])[0]
        cued = [i for i, lang in enumerate(languages) if lang in CUES]
        if self.stacker is not None and cued:
            cued_texts, cued_langs = [texts[i] for i in cued], [languages[i] for i in cued]
            sentiment[cued] = self.stacker.apply(sentiment[cued], cued_texts, cued_langs)
        return sentiment, toxicity


def _groups(languages: Sequence[str], encoder: Callable[[str], str]) -> dict[str, list[int]]:
    """Row indices per encoder name."""
    groups: dict[str, list[int]] = {}
    for i, lang in enumerate(languages):
        groups.setdefault(encoder(lang), []).append(i)
    return groups
