"""Linear stacker for sentiment: ONNX log-probabilities plus VADER and punctuation features, numpy only."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

STACKER_FILE = "sentiment_stacker.json"
FEATURES: tuple[str, ...] = (
    "onnx_logp_negative", "onnx_logp_neutral", "onnx_logp_positive",
    "vader_neg", "vader_neu", "vader_pos", "vader_compound",
    "exclamations", "question", "negated_positive", "service_failure", "positive_with_failure",
)
NEGATIONS = frozenset({
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "cant", "can't",
    "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't", "wasnt", "wasn't",
    "arent", "aren't", "werent", "weren't", "wont", "won't", "wouldnt", "wouldn't", "hardly",
})
# Words customers use when a service failed them, written for this project before any measurement: brand
# complaints are often told flatly ("still no refund after 3 weeks"), with no word VADER or a tweet-trained
# model reads as negative.
SERVICE_FAILURE = re.compile(
    r"\b(?:delay(?:s|ed)?|cancel(?:l?ed|lation)?|on hold|waiting|waited|wait|lost|refunds?|still|again|"
    r"hours?|nobody|no one|no-one|broken|charged|overcharged|stuck|late|missed|crash(?:es|ed|ing)?|"
    r"errors?|down|outage|complaints?|ignored|unacceptable|ridiculous|worst|rude|fail(?:ed|s|ure)?|"
    r"never (?:arrived|came|received|showed)|not working|doesn'?t work|won'?t (?:let|work)|"
    r"can'?t (?:log|get|access|find)|disappointed|frustrat\w*|annoy\w*|useless|mess|stranded|"
    r"overbooked|damaged|wrong|missing|lied|hung up|no response|no answer|no reply|no update|"
    r"#fail|every (?:single )?time|(?:\d+|two|three|four|five|six) (?:days|weeks|times|calls|emails))\b",
    re.IGNORECASE)
NEGATION_WINDOW = 3  # a negation up to three words before a positive word flips it
_WORD = re.compile(r"[a-z']+")


def vader_analyser() -> Any:
    """Build VADER's analyser (imported lazily: only the ONNX backend with a stacker needs it)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def negated_positive(text: str, lexicon: dict[str, float]) -> float:
    """1.0 when a negation word precedes a VADER-positive word within NEGATION_WINDOW words."""
    words = _WORD.findall(text.lower())
    for i, word in enumerate(words):
        if lexicon.get(word, 0.0) > 0 and any(w in NEGATIONS for w in words[max(0, i - NEGATION_WINDOW):i]):
            return 1.0
    return 0.0


def text_features(texts: Sequence[str], analyser: Any) -> np.ndarray:
    """VADER neg/neu/pos/compound, '!' and '?', negated positive word, service-failure cues (and with praise)."""
    rows = []
    for text in texts:
        pol = analyser.polarity_scores(text)
        failure = min(len(SERVICE_FAILURE.findall(text)), 3) / 3.0
        rows.append([pol["neg"], pol["neu"], pol["pos"], pol["compound"],
                     min(text.count("!"), 3) / 3.0, float("?" in text),
                     negated_positive(text, analyser.lexicon), failure,
                     failure * float(pol["pos"] > 0)])  # praise next to a failure reads as sarcasm
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES) - 3)


def features(onnx_probs: np.ndarray, texts: Sequence[str], analyser: Any) -> np.ndarray:
    """The stacker's input matrix, columns in FEATURES order."""
    logp = np.log(np.clip(np.asarray(onnx_probs, dtype=np.float64), 1e-6, 1.0))
    return np.hstack([logp, text_features(texts, analyser)])


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


class SentimentStacker:
    """Multinomial logistic regression read from JSON: standardise, then softmax(x @ W.T + b)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if tuple(spec["features"]) != FEATURES:
            raise ValueError(f"stacker features {spec['features']} do not match {list(FEATURES)}")
        self.spec = spec
        self.mean = np.asarray(spec["mean"], dtype=np.float64)
        self.scale = np.asarray(spec["scale"], dtype=np.float64)
        self.coef = np.asarray(spec["coef"], dtype=np.float64)
        self.intercept = np.asarray(spec["intercept"], dtype=np.float64)
        self._analyser = vader_analyser()

    @classmethod
    def load(cls, path: Path) -> SentimentStacker | None:
        """Read a stacker JSON; None when the file is absent."""
        if not path.is_file():
            return None
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def apply(self, onnx_probs: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Return (n, 3) stacked sentiment probabilities for texts with ONNX probabilities onnx_probs."""
        x = (features(onnx_probs, texts, self._analyser) - self.mean) / self.scale
        stacked = softmax(x @ self.coef.T + self.intercept)
        blank = np.asarray([not t.strip() for t in texts], dtype=bool)
        stacked[blank] = onnx_probs[blank]  # nothing to weigh: keep the model's own answer
        return stacked
