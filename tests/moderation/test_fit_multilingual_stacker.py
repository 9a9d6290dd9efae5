"""The multilingual stacker's sources: each gets its share of the weight; only the earlier dev sets are read."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scripts import fit_multilingual_stacker as fms


def test_each_source_gets_its_share_of_the_weight() -> None:
    # two datasets of carves (of different sizes), one of slots, one of mentions; both classes in each
    groups = np.array([0] * 4 + [1] * 8 + [2] * 6 + [3] * 2)
    y = np.array(["negative", "positive"] * 10)
    source = np.array([0] * 12 + [1] * 6 + [2] * 2)
    w = fms.sample_weights(y, groups, source)
    shares = {name: w[source == i].sum() / w.sum() for i, name in enumerate(fms.SOURCES)}
    assert shares == pytest.approx(fms.SHARES, abs=1e-9)
    assert w[groups == 0].sum() == pytest.approx(w[groups == 1].sum())  # datasets of a source weigh the same


@pytest.mark.parametrize("lang", ["fr", "th"])
def test_dev_mentions_come_only_from_the_earlier_dev_sets(lang: str) -> None:
    texts = set(fms.dev_mentions(lang)["text"])
    assert texts
    for later in ("multilingual_dev7", "multilingual_test", "multilingual_test3", "multilingual_test6"):
        df = pd.read_csv(fms.BENCH / later / f"{lang}.csv")
        assert not texts & set(df["text"]), later
    replies = pd.read_csv(fms.BENCH / "multilingual" / f"{lang}.csv").query("kind == 'reply'")
    assert not texts & set(replies["text"])  # mentions only
