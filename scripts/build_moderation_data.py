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


# Real words (in the SCOWL lists) that the book-based list lacks ("neighbor", "caliber") and wordfreq has
# seen at least this often (Zipf) become known words and correction candidates. Only SCOWL words: wordfreq
# alone also lists frequent misspellings ("recieve" is Zipf 2.75, "alot" 3.93).
MORE_MIN_ZIPF = 1.5
# symspellpy's counts are about this many times wordfreq's 10 ** Zipf (median over common words).
COUNT_PER_ZIPF_UNIT = 1000
# SCOWL size-70 lists, from Debian's wamerican-large and wbritish-large packages (permissive licence).
SCOWL = tuple(os.environ.get("REPGUARD_SCOWL", "/usr/share/dict/american-english-large:"
                             "/usr/share/dict/british-english-large").split(":"))


def more_english(known: set[str]) -> list[str]:
    """`word count` lines for SCOWL words wordfreq has seen, missing from the book-based list."""
    scowl: set[str] = set()
    for path in SCOWL:
        scowl |= {w.lower() for w in Path(path).read_text(encoding="utf-8").split() if w.isalpha()}
    zipf = {w: zipf_frequency(w, "en") for w in sorted(scowl - known)}
    return [f"{w} {round(COUNT_PER_ZIPF_UNIT * 10 ** z)}" for w, z in zipf.items() if z >= MORE_MIN_ZIPF]


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
