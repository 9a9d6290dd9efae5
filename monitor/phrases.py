"""Frequent words and two-word phrases of a set of posts (for incident and problem summaries)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
_NOISE = re.compile(r"https?://\S+|[@#]\w+")
# Short function words in the languages the demo and benchmark carry; longer words say more anyway.
STOPWORDS = frozenset("""about after again also and any are been before being but can could did does doing
don't for from had has have having her here him his how i'm i've into its it's just more most not now off once
only other our out over own same she should some still such than that the their them then there these they
this those through too under until very was were what when where which while who why will with would you your
yours dont cant can't isn't wasn't won't get got les des une est pas que qui dans pour sur avec mais plus depuis
los las del por con una para que sin desde como está der die das und ist nicht mit von den ein eine seit""".split())


def top_phrases(texts: Iterable[str], limit: int = 10, ignore: Iterable[str] = ()) -> list[str]:
    """Most frequent words and word pairs, each counted once per post; pairs first when as common."""
    skip = STOPWORDS | {w.lower() for w in ignore}
    counts: Counter[str] = Counter()
    for text in texts:
        words = [w.lower().strip("'’-") for w in _WORD.findall(_NOISE.sub(" ", text))]
        words = [w for w in words if len(w) > 2 and w not in skip]
        counts.update(set(words))
        counts.update({f"{a} {b}" for a, b in itertools.pairwise(words)})
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], " " not in kv[0], kv[0]))
    return [p for p, n in ranked if n > 1][:limit]
