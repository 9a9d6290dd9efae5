"""Online grouping of unit vectors: each item joins the most similar recent group or starts its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


def prototypes(raw: bytes, dim: int) -> np.ndarray:
    """Decode stored prototype sums (k rows of float32) from bytes."""
    return np.frombuffer(raw, dtype=np.float32).reshape(-1, dim).copy()


def unit(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length."""
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


def best_match(vector: np.ndarray, protos: Sequence[np.ndarray]) -> tuple[int, float]:
    """Index and similarity of the group whose closest prototype is most similar to a vector."""
    best, sim = -1, -1.0
    for i, p in enumerate(protos):
        s = float(np.max(unit(p) @ vector))
        if s > sim:
            best, sim = i, s
    return best, sim


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
