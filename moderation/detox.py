"""Optional Detoxify backend (extra `detoxify`): toxicity from a local checkpoint, VADER sentiment."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

from moderation.scores import Scores, Toxicity

CHECKPOINT_ENV = "REPGUARD_DETOXIFY_CHECKPOINT"
MODEL_TYPE_ENV = "REPGUARD_DETOXIFY_MODEL"
CONFIG_ENV = "REPGUARD_DETOXIFY_CONFIG"
# Detoxify's overall label differs by model family; everything else becomes a sub-label.
OVERALL_LABELS = ("toxicity", "toxic")


class DetoxifyUnavailable(RuntimeError):
    """Detoxify is not installed or no local checkpoint was configured."""


def load_detoxify(checkpoint: str | None = None, model_type: str | None = None,
                  config_dir: str | None = None) -> Any:
    """Build `detoxify.Detoxify` from a local checkpoint (hub downloads are not used)."""
    checkpoint = checkpoint or os.environ.get(CHECKPOINT_ENV)
    if not checkpoint:
        raise DetoxifyUnavailable(f"set {CHECKPOINT_ENV} to a local Detoxify .ckpt file")
    if not os.path.isfile(checkpoint):
        raise DetoxifyUnavailable(f"Detoxify checkpoint not found: {checkpoint}")
    try:
        import detoxify
    except ImportError as exc:
        raise DetoxifyUnavailable("install the extra: pip install 'repguard[detoxify]'") from exc
    return detoxify.Detoxify(
        model_type or os.environ.get(MODEL_TYPE_ENV, "original"),
        checkpoint=checkpoint,
        device="cpu",
        huggingface_config_path=config_dir or os.environ.get(CONFIG_ENV) or None,
    )


def _as_rows(preds: dict[str, Any]) -> dict[str, list[float]]:
    """Detoxify squeezes a one-text batch to a float per label; give every label a list again."""
    return {name: [float(v)] if isinstance(v, int | float) else [float(x) for x in v] for name, v in preds.items()}


def _toxicity(preds: dict[str, list[float]], i: int) -> Toxicity:
    """Turn row i of Detoxify's {label: [probs]} output into a Toxicity."""
    labels = {name: round(float(values[i]), 4) for name, values in preds.items()}
    overall = next((labels.pop(n) for n in OVERALL_LABELS if n in labels), None)
    if overall is None:
        overall = max(labels.values(), default=0.0)
    return Toxicity(score=overall, labels=labels)


class DetoxifyScorer:
    """Toxicity from Detoxify; sentiment and language from the lexicon backend."""

    name = "detoxify"

    def __init__(self, model: Any = None) -> None:
        from moderation.lexicon import LexiconScorer

        self._model = model if model is not None else load_detoxify()
        self._lexicon = LexiconScorer()
        self._lock = threading.Lock()  # torch modules are not guaranteed re-entrant

    def score(self, texts: Sequence[str]) -> list[Scores]:
        """Score a batch: one Detoxify forward pass plus per-text sentiment and language."""
        texts = list(texts)
        if not texts:
            return []
        with self._lock:
            preds = _as_rows(self._model.predict(texts))
        base = self._lexicon.score(texts)
        return [Scores(sentiment=b.sentiment, toxicity=_toxicity(preds, i), language=b.language,
                       backend=self.name) for i, b in enumerate(base)]
