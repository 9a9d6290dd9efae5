"""ONNX text-model backend: int8 MiniLM for English, multilingual-e5 heads for other languages; py3langid language."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from moderation.hostility import HOSTILITY_FILE, HostilityHead
from moderation.int8exact import TOLERANCE, open_exact, session_options
from moderation.multilingual import MULTI_FILE, MultilingualHeads
from moderation.offensive import OFFENSIVE_FILE, OffensiveStacker
from moderation.scores import SENTIMENT_LABELS, Language, Scores, Sentiment, Toxicity
from moderation.stacker import STACKER_FILE, SentimentStacker

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_DIR_ENV = "REPGUARD_TEXTMODEL_DIR"
THREADS_ENV = "REPGUARD_TEXTMODEL_THREADS"
META_FILE = "textmodel.json"
BATCH_SIZE = 8  # on one thread larger batches buy nothing; small ones keep padding low
POOLED = "pooled"  # extra graph output: the mean-pooled sentence vector (scripts/expose_pooled.py)


def model_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the artefact folder: the argument, else $REPGUARD_TEXTMODEL_DIR, else the shipped one."""
    return Path(path or os.environ.get(MODEL_DIR_ENV) or DATA_DIR)


def artefact_present(path: str | os.PathLike[str] | None = None) -> bool:
    """True when the metadata, the ONNX model and the tokenizer it names are all there."""
    folder = model_dir(path)
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (folder / meta["model"]).is_file() and (folder / meta["tokenizer"]).is_file()


def _session(path: Path, threads: int, probe: dict[str, Any] | None, tokenizer: Any) -> Any:
    """Open the int8 graph so that it computes exact products on this CPU (see moderation.int8exact)."""
    if probe is None:  # a model without a reference output (one built by a test): take it as it is
        import onnxruntime as ort

        return ort.InferenceSession(str(path), sess_options=session_options(threads),
                                    providers=["CPUExecutionProvider"])

    def exact(session: Any) -> bool:
        ids = np.asarray([tokenizer.encode(probe["text"]).ids], dtype=np.int64)
        got = session.run([probe["head"]], {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        return bool(np.allclose(got, probe["probs"], atol=TOLERANCE, rtol=0))

    return open_exact(path, threads, exact)


def _tokenizer(path: Path, max_length: int) -> Any:
    """Load tokenizer.json with truncation and no padding (batches are padded after length sorting)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(max_length=max_length)
    return tok


class TextModel:
    """The shipped multi-task model: texts in, per-head probability arrays out."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, threads: int | None = None) -> None:
        folder = model_dir(path)
        self.meta: dict[str, Any] = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        threads = threads or int(os.environ.get(THREADS_ENV, "1"))
        self._tokenizer = _tokenizer(folder / self.meta["tokenizer"], int(self.meta.get("max_length", 128)))
        self._session = _session(folder / self.meta["model"], threads, self.meta.get("exact_probe"), self._tokenizer)
        self.outputs: list[str] = [o.name for o in self._session.get_outputs()]
        self.heads: list[str] = [name for name in self.outputs if name != POOLED]

    def predict(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> dict[str, np.ndarray]:
        """Return {head: (len(texts), n_labels) probabilities} (and "pooled" vectors when the graph has them)."""
        encoded: list[list[int]] = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        parts: dict[str, list[np.ndarray]] = {h: [] for h in self.outputs}
        for start in range(0, len(order), batch_size):
            chunk = [encoded[i] for i in order[start:start + batch_size]]
            for head, probs in zip(self.outputs, self._run(chunk), strict=True):
                parts[head].append(probs)
        inverse = np.argsort(np.asarray(order, dtype=np.int64))
        return {h: np.concatenate(p)[inverse] for h, p in parts.items()}

    def _run(self, batch: list[list[int]]) -> list[np.ndarray]:
        """Pad one batch of token ids to its longest member and run the session."""
        ids = np.zeros((len(batch), max(len(b) for b in batch)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(batch):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        return list(self._session.run(None, {"input_ids": ids, "attention_mask": mask}))


class LanguageModel:
    """py3langid with normalised probabilities; serialised because langid keeps per-call state."""

    def __init__(self) -> None:
        from moderation.langid import identifier

        self._langid = identifier()  # one shared copy per process
        self._lock = threading.Lock()

    def classify(self, text: str) -> Language:
        """Return the ISO 639-1 code and its probability."""
        with self._lock:
            code, conf = self._langid.classify(text)
        return Language(code=str(code), score=round(float(conf), 4))


def _toxicity(probs: dict[str, np.ndarray], i: int, meta: dict[str, Any], hostile: np.ndarray | None) -> Toxicity:
    """Build the Toxicity of text i: the overall head's positive class, named sub-labels, hostility."""
    overall = meta["toxicity"]["score"]
    labels = {name: round(float(probs[head][i, col]), 4)
              for name, (head, col) in meta["toxicity"]["labels"].items()}
    return Toxicity(score=round(float(probs[overall["head"]][i, overall["index"]]), 4), labels=labels,
                    hostility=None if hostile is None else round(float(hostile[i]), 4))


def _sentiment(row: np.ndarray) -> Sentiment:
    """Build the Sentiment of one row of sentiment probabilities."""
    scores = {label: round(float(p), 4) for label, p in zip(SENTIMENT_LABELS, row, strict=True)}
    return Sentiment(label=SENTIMENT_LABELS[int(np.argmax(row))], scores=scores)


class OnnxScorer:
    """Default backend: int8 ONNX model for English, multilingual heads for the rest, py3langid for language."""

    name = "onnx"
    accepts_hints = True  # score(..., language=, sentiment=) below

    def __init__(self, path: str | os.PathLike[str] | None = None, *, threads: int | None = None,
                 stacker: bool = True, multilingual: bool = True, hostility: bool = True,
                 offensive: bool = True) -> None:
        self.model = TextModel(path, threads=threads)
        self.language = LanguageModel()
        # sentiment_stacker.json next to the model re-weighs its sentiment with VADER features;
        # stacker=False keeps the raw ONNX sentiment head
        self.stacker = SentimentStacker.load(model_dir(path) / STACKER_FILE) if stacker else None
        # offensive_stacker.json.gz re-weighs the offensive head with an n-gram model and insult cues;
        # offensive=False keeps the raw head
        self.offensive = OffensiveStacker.load(model_dir(path) / OFFENSIVE_FILE) if offensive else None
        # textmodel_multi.json: heads over multilingual-e5 vectors for every language but English
        self.multi = MultilingualHeads.load(model_dir(path) / MULTI_FILE) if multilingual else None
        self.languages: frozenset[str] = frozenset({"en"}) | (self.multi.languages if self.multi else frozenset())
        # textmodel_hostile.json: a logistic head over the pooled vector the same forward pass returns
        hostile_file = model_dir(path) / HOSTILITY_FILE
        self.hostility = (HostilityHead.load(hostile_file) if hostility and POOLED in self.model.outputs
                          and hostile_file.is_file() else None)

    def score(self, texts: Sequence[str], *, language: str | None = None, sentiment: bool = True) -> list[Scores]:
        """Score a batch of texts; safe to call from several threads at once.

        language: the caller's language decision for every text (skips py3langid per text);
        sentiment=False: keep the raw sentiment head (skips the stacker's VADER features).
        """
        texts = list(texts)
        if not texts:
            return []
        if language:
            langs = [Language(code=language, score=1.0)] * len(texts)
        else:
            langs = [self.language.classify(text) for text in texts]
        # Only the languages the heads were trained and measured on leave the English model: the codes
        # py3langid gives misread English tweets ('pcm', 'et', 'lb', ...) stay where they were.
        foreign = [i for i, lang in enumerate(langs) if lang.code in self.languages and lang.code != "en"]
        english = sorted(set(range(len(texts))) - set(foreign))
        out: dict[int, tuple[Sentiment, Toxicity]] = {}
        if english:
            out.update(zip(english, self._english([texts[i] for i in english], sentiment), strict=True))
        if foreign and self.multi is not None:  # self.languages is {"en"} without the heads
            senti, toxicity = self.multi.predict([texts[i] for i in foreign], [langs[i].code for i in foreign],
                                                 adapted=sentiment)
            for row, i in enumerate(foreign):
                tox = round(float(toxicity[row]), 4)
                out[i] = (_sentiment(senti[row]), Toxicity(score=tox, labels={"offensive": tox}))
        return [Scores(sentiment=out[i][0], toxicity=out[i][1], language=langs[i], backend=self.name)
                for i in range(len(texts))]

    def _english(self, texts: list[str], stacked: bool = True) -> list[tuple[Sentiment, Toxicity]]:
        """Sentiment and toxicity from the English ONNX model (and its stacker unless `stacked` is False)."""
        probs = self.model.predict(texts)
        if self.stacker is not None and stacked:
            probs["sentiment"] = self.stacker.apply(probs["sentiment"], texts)
        if self.offensive is not None:
            offensive = self.offensive.apply(probs, texts)
            probs["offensive"] = np.column_stack([1.0 - offensive, offensive])
        meta = self.model.meta
        hostile = self.hostility.predict(probs[POOLED], texts) if self.hostility is not None else None
        return [(_sentiment(probs["sentiment"][i]), _toxicity(probs, i, meta, hostile)) for i in range(len(texts))]
