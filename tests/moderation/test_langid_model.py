"""py3langid's model from a decompressed copy in the cache folder: same answers, and every failure falls back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import LanguageIdentifier

from moderation.langid_model import bundled_model, cached_copy, load_identifier

TEXTS = ("Où est ma commande ? Ça fait trois semaines.", "Mein Paket ist immer noch nicht da.",
         "¿Dónde está mi pedido?", "Where is my parcel, it's been three weeks.", "Paket saya belum sampai juga.")


@pytest.fixture(scope="module")
def reference() -> LanguageIdentifier:
    return LanguageIdentifier.from_modelpath(bundled_model(), norm_probs=True)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path))
    return tmp_path


def _same(a: LanguageIdentifier, b: LanguageIdentifier) -> None:
    for text in TEXTS:
        (la, pa), (lb, pb) = a.classify(text), b.classify(text)
        assert la == lb and pa == pytest.approx(pb)


def test_the_first_load_writes_the_plain_copy_and_later_ones_read_it(home: Path, reference: LanguageIdentifier
                                                                      ) -> None:
    target = cached_copy(bundled_model())
    assert not target.exists()
    _same(load_identifier(), reference)
    assert target.is_dir() and sum(f.stat().st_size for f in target.iterdir()) > bundled_model().stat().st_size
    assert not list(target.parent.glob("*.part"))  # written under another name, then moved in place
    _same(load_identifier(), reference)


def test_the_big_tables_are_mapped_from_the_copy_not_read_into_memory(home: Path) -> None:
    ident = load_identifier()
    assert isinstance(ident.nb_ptc, np.memmap)
    assert Path(ident.nb_ptc.filename) == cached_copy(bundled_model()) / "ptc.npy"
    assert isinstance(ident.tk_nextmove, memoryview) and ident.tk_nextmove.readonly


def test_a_damaged_copy_falls_back_and_is_removed(home: Path, reference: LanguageIdentifier) -> None:
    target = cached_copy(bundled_model())
    load_identifier()
    (target / "ptc.npy").write_bytes(b"\x93NUMPY truncated")
    _same(load_identifier(), reference)
    assert not target.exists()  # the next process writes it again


def test_a_cache_folder_that_cannot_be_written_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          reference: LanguageIdentifier) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("REPGUARD_HOME", str(blocker))
    _same(load_identifier(), reference)
