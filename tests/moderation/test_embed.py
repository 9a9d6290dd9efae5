"""Sentence embeddings from the shipped encoder: unit vectors, order kept, near-duplicates close."""

from __future__ import annotations

import numpy as np

from moderation.embed_shipped import embed


def test_vectors_are_unit_float32_rows_in_input_order() -> None:
    texts = ["no signal since this morning, the network is down",
             "I love my new phone plan, great price",
             "a much longer text " * 20]
    vectors = embed(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    # batching sorts by length internally; each row must still belong to its own text
    np.testing.assert_allclose(embed([texts[2], texts[0]]), vectors[[2, 0]], atol=1e-5)


def test_near_duplicates_are_closer_than_unrelated_texts() -> None:
    a, b, other = embed(["The network is down, no signal at all since 8am",
                         "no signal at all since this morning, network down again",
                         "my parcel never arrived and the tracking page is blank"])
    assert float(a @ b) > 0.6
    assert float(a @ b) > float(a @ other) + 0.2


def test_empty_input_gives_an_empty_matrix() -> None:
    assert embed([]).shape[0] == 0
