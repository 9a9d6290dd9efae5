"""Presidio's analyzer parts, made cheaper per reply without changing what they find.

Most replies give no recognizer a hit that needs its context words, so the spaCy pass that supplies them
runs only when one asks; and the recognizers serving a list of entities are looked up once, not per reply.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import spacy
from presidio_analyzer import EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("repguard_lower_lemma")
def _lower_lemma(doc: Doc) -> Doc:
    """Use the lower-cased token as its lemma so Presidio's context words work without a model."""
    for token in doc:
        token.lemma_ = token.lower_
    return doc


class LazyNlpArtifacts:
    """Stands in for NlpArtifacts and runs the pipeline on first use: only context enhancement reads it."""

    __slots__ = ("_build", "_real")

    def __init__(self, build: Callable[[], NlpArtifacts]) -> None:
        """Remember how to build the real artifacts."""
        self._build = build
        self._real: NlpArtifacts | None = None

    def __getattr__(self, name: str) -> Any:
        """Build the real artifacts once, then answer from them (tokens, lemmas, keywords, ...)."""
        if name.startswith("__"):  # copy and pickle probes: not a request for the artifacts
            raise AttributeError(name)
        if self._real is None:
            self._real = self._build()
        return getattr(self._real, name)


class BlankSpacyNlpEngine(SpacyNlpEngine):
    """Presidio NLP engine on a blank spaCy tokenizer: no model download, no NER, tokenised only on demand."""

    def load(self) -> None:
        """Build the blank English pipeline instead of loading a trained model."""
        nlp = spacy.blank("en")
        nlp.add_pipe("repguard_lower_lemma")
        for word in nlp.Defaults.stop_words:  # "call" is a spaCy stop word; Presidio ignores those as context
            nlp.vocab[word].is_stop = False
        self.nlp = {"en": nlp}  # type: ignore[assignment]

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """Artifacts that tokenise the text the first time a context word is looked up."""
        def build() -> NlpArtifacts:
            return SpacyNlpEngine.process_text(self, text, language)
        return LazyNlpArtifacts(build)  # type: ignore[return-value]


class CachedRegistry(RecognizerRegistry):
    """A registry that answers a repeated lookup (same entities, same recognizers) from a cache."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """An empty cache; it is checked against the recognizer list on every lookup."""
        super().__init__(*args, **kwargs)
        self._cache: dict[tuple[Any, ...], tuple[list[EntityRecognizer], list[EntityRecognizer]]] = {}
        self._cache_lock = threading.Lock()

    def get_recognizers(self, language: str, entities: list[str] | None = None, all_fields: bool = False,
                        ad_hoc_recognizers: list[EntityRecognizer] | None = None) -> list[EntityRecognizer]:
        """The recognizers Presidio would pick; recomputed whenever the registry's list has changed."""
        if ad_hoc_recognizers:
            return super().get_recognizers(language, entities, all_fields, ad_hoc_recognizers)
        key = (language, tuple(entities) if entities is not None else None, all_fields)
        current = list(self.recognizers)
        with self._cache_lock:
            hit = self._cache.get(key)
        # the same objects in the same order: the lookup would give the same answer (identity, not equality)
        if hit is not None and len(hit[0]) == len(current) and all(
                a is b for a, b in zip(hit[0], current, strict=True)):
            return list(hit[1])
        chosen = super().get_recognizers(language, entities, all_fields, ad_hoc_recognizers)
        with self._cache_lock:
            self._cache[key] = (current, chosen)
        return list(chosen)
