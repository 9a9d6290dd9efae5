"""Online grouping of unit vectors: each item joins the most similar recent group or starts its own."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

LEX_DIM = 1024  # hashed character 3-5-grams: near-duplicates share many, in any language


_NOISE = re.compile(r"https?://\S+|[@#]\w+")


def wording(text: str, brand: str = "") -> str:
    """The words that say what a post is about: no links, handles, hashtags or brand name, shared by all."""
    text = _NOISE.sub(" ", text)
    for word in brand.split():
        text = re.sub(rf"(?i)\b{re.escape(word)}\b", " ", text)
    return text


def features(texts: Sequence[str], embeddings: np.ndarray, lexical_weight: float) -> np.ndarray:
    """Unit vectors whose dot product is a weighted mix of embedding and character n-gram cosine."""
    from sklearn.feature_extraction.text import HashingVectorizer

    hashed = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=LEX_DIM, alternate_sign=False,
                               norm="l2").transform(list(texts)).toarray().astype(np.float32)
    return np.hstack([np.sqrt(1 - lexical_weight) * embeddings, np.sqrt(lexical_weight) * hashed]).astype(np.float32)


def prototypes(raw: bytes, dim: int) -> np.ndarray:
    """Decode stored prototype sums (k rows of float32); none when stored with another feature size."""
    flat = np.frombuffer(raw, dtype=np.float32)
    if dim <= 0 or flat.size % dim:
        return np.zeros((0, max(dim, 0)), dtype=np.float32)
    return flat.reshape(-1, dim).copy()


def unit(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length."""
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


def best_match(vector: np.ndarray, protos: Sequence[np.ndarray]) -> tuple[int, float]:
    """Index and similarity of the group whose closest prototype is most similar to a vector."""
    best, sim = -1, -1.0
    for i, p in enumerate(protos):
        if not len(p):
            continue
        s = float(np.max(unit(p) @ vector))
        if s > sim:
            best, sim = i, s
    return best, sim


def coherence(total: np.ndarray, n: int) -> float:
    """Mean pairwise cosine of the n unit vectors that sum to `total` (1.0 for a single item)."""
    return 1.0 if n < 2 else float((total @ total - n) / (n * (n - 1)))


@dataclass
class Group:
    """A running group: the sum of its vectors, its members and when it last grew."""

    total: np.ndarray
    last: float
    members: list[int] = field(default_factory=list)


def group(vectors: np.ndarray, times: Sequence[float], threshold: float, window: float) -> list[Group]:
    """Group items (in time order) by cosine similarity to running group centroids.

    An item joins the most similar group that grew within `window` seconds before it, when the
    similarity reaches `threshold`; otherwise it starts a new group. Linear in items times live groups.
    """
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    groups: list[Group] = []
    live: list[int] = []  # indices of groups that may still take items
    cents = np.zeros((0, dim), dtype=np.float32)
    for i, (vec, at) in enumerate(zip(vectors, times, strict=True)):
        keep = [k for k, g in enumerate(live) if at - groups[g].last <= window]
        if len(keep) != len(live):
            live, cents = [live[k] for k in keep], cents[keep]
        sims = cents @ vec if live else np.zeros(0, dtype=np.float32)
        j = int(np.argmax(sims)) if len(sims) else -1
        if j >= 0 and sims[j] >= threshold:
            g = groups[live[j]]
            g.total += vec
            g.last = at
            g.members.append(i)
            cents[j] = g.total / np.linalg.norm(g.total)
        else:
            groups.append(Group(total=vec.astype(np.float32).copy(), last=at, members=[i]))
            live.append(len(groups) - 1)
            cents = np.vstack([cents, vec[None, :].astype(np.float32)])
    return groups


def merge_close(groups: list[Group], threshold: float, min_size: int = 2) -> list[Group]:
    """Merge groups (of at least `min_size`) whose centroids reach `threshold`, closest pair first.

    Online grouping depends on arrival order; merging close centroids afterwards undoes most of that.
    """
    big = [g for g in groups if len(g.members) >= min_size]
    rest = [g for g in groups if len(g.members) < min_size]
    if len(big) < 2:
        return groups
    cents = unit(np.stack([g.total for g in big]))
    sims = cents @ cents.T
    np.fill_diagonal(sims, -1.0)
    alive = np.ones(len(big), dtype=bool)
    while True:
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[i, j] < threshold:
            break
        big[i].total += big[j].total
        big[i].members = sorted(big[i].members + big[j].members)
        big[i].last = max(big[i].last, big[j].last)
        alive[j] = False
        sims[j, :] = sims[:, j] = -1.0
        cents[i] = unit(big[i].total)
        row = np.where(alive, cents @ cents[i], -1.0)
        row[i] = -1.0
        sims[i, :] = sims[:, i] = row
    return [g for g, keep in zip(big, alive, strict=True) if keep] + rest
