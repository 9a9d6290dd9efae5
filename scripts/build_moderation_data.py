"""Rebuild moderation/data/ word lists from symspellpy's bundled dictionaries and wordfreq."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import symspellpy
from wordfreq import top_n_list, zipf_frequency

DATA = Path(__file__).resolve().parents[1] / "moderation" / "data"
SRC = Path(os.path.dirname(symspellpy.__file__))
# Languages other than English whose replies get their own word list.
OTHER_LANGS = ("es", "fr", "de", "pt", "it", "nl")
# Everyday support vocabulary that is too new or too rare in books for either frequency source.
SUPPORT_WORDS = (
    "emoji", "emojis", "signup", "signups", "chatbot", "chatbots", "unfollow", "retweet", "retweets",
    "screencast", "geolocation", "autoplay", "autofill", "autopay", "autorenew", "passcode", "passcodes",
    "captcha", "hotspot", "eSIM", "esim", "touchscreen", "dropdown", "popup", "popups", "unsend",
    "deactivate", "deactivated", "reactivate", "reactivated", "onboarding", "livestreams", "trackpad",
)


def _gz_writer(dst: Path) -> gzip.GzipFile:
    """Open a gzip file with a fixed timestamp, so rebuilding gives identical bytes."""
    return gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=dst.open("wb"), mtime=0)


def _write_lines(dst: Path, lines: list[str]) -> None:
    """Write text lines to a reproducible gzip file."""
    with _gz_writer(dst) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))


def gz_copy(src: Path, dst: Path) -> None:
    """Copy a text file into the package, gzip-compressed."""
    with src.open("rb") as fin, _gz_writer(dst) as fout:
        shutil.copyfileobj(fin, fout)


# Words wordfreq knows at least this often (Zipf) that the book list lacks ("neighbor", "caliber") become
# correction candidates too; rarer ones are too often misspellings themselves ("recieve" is Zipf 2.3).
MORE_MIN_ZIPF = 2.5
# symspellpy's counts are about this many times wordfreq's 10 ** Zipf (median over common words).
COUNT_PER_ZIPF_UNIT = 1000


def more_english(known: set[str]) -> list[str]:
    """`word count` lines for frequent wordfreq words missing from the book-based list."""
    words = [w for w in top_n_list("en", 400000, wordlist="large") if w.isalpha() and len(w) > 1 and w not in known
             and zipf_frequency(w, "en") >= MORE_MIN_ZIPF]
    return [f"{w} {round(COUNT_PER_ZIPF_UNIT * 10 ** zipf_frequency(w, 'en'))}" for w in words]


def main() -> None:
    """Write the English dictionaries and the per-language word lists."""
    DATA.mkdir(exist_ok=True)
    gz_copy(SRC / "frequency_dictionary_en_82_765.txt", DATA / "en_unigrams.txt.gz")
    gz_copy(SRC / "frequency_bigramdictionary_en_243_342.txt", DATA / "en_bigrams.txt.gz")
    known = {line.split()[0] for line in gzip.open(DATA / "en_unigrams.txt.gz", "rt", encoding="utf-8")}
    # Common informal/online words (app, wifi, dm, pls) missing from the book-based list.
    extra = [w for w in top_n_list("en", 60000) if w.isalpha() and w not in known
             and zipf_frequency(w, "en") >= 3.3]
    extra += [w.lower() for w in SUPPORT_WORDS if w.lower() not in known and w.lower() not in extra]
    _write_lines(DATA / "en_extra_words.txt.gz", extra)
    _write_lines(DATA / "en_more_words.txt.gz", more_english(known))
    for lang in OTHER_LANGS:
        words = [w for w in top_n_list(lang, 50000) if w.isalpha()]
        counts = [f"{w} {round(10 ** zipf_frequency(w, lang))}" for w in words]
        _write_lines(DATA / f"{lang}_words.txt.gz", counts)


if __name__ == "__main__":
    main()
