"""Presidio's phone recognizer with the same matches, minus candidates no region could ever accept.

Presidio runs libphonenumber's matcher once per region (fifteen of them), parsing every candidate in each:
a ticket number such as "115855" or a "2/2" tweet counter is parsed fifteen times. A candidate that carries
no "+", no letter and no international dialling prefix of the region is read as a national number of that
region, and a valid one needs at least as many digits as the shortest number of its country calling code;
one with fewer digits (counting any a national-prefix rule may add) is skipped. Whatever the matcher would
have accepted it still accepts: a skipped candidate, and every stretch inside it, was bound to fail validation.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import Leniency, PhoneMetadata, PhoneNumberMatcher
from phonenumbers.phonenumberutil import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    region_code_for_country_code,
)
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

PLUS_CHARS = "+\uff0b"  # what libphonenumber reads as a leading plus
_BACKREF = re.compile(r"\\\d|\$\d")


def _metadata(region: str) -> Any:
    """The region's metadata (None for an unknown code)."""
    return PhoneMetadata.metadata_for_region(region, None)


def _added(meta: Any) -> int:
    """Digits a region's national-prefix rule may add ("664" before a Montserrat number)."""
    rule = (meta.national_prefix_transform_rule if meta else None) or ""
    return sum(c.isdigit() for c in _BACKREF.sub("", rule))


@lru_cache(maxsize=64)
def _rules(region: str) -> tuple[int, re.Pattern[str] | None] | None:
    """(fewest digits a valid national number can be written with, the region's dialling prefix); None: never skip.

    The number may turn out to be of any region sharing the calling code ("US" numbers may be Canadian), and
    parsing applies the national-prefix rules of the region asked for and of the code's main region.
    """
    meta = _metadata(region)
    if meta is None or not meta.country_code:
        return None
    shortest = []
    for other in COUNTRY_CODE_TO_REGION_CODE.get(meta.country_code, ()):
        other_meta = _metadata(other)
        lengths = [n for n in (other_meta.general_desc.possible_length or ()) if n > 0] if other_meta else []
        if not lengths:
            return None  # a region without known lengths accepts any length
        shortest.append(min(lengths))
    if not shortest:
        return None
    main = _metadata(region_code_for_country_code(meta.country_code))
    idd = re.compile(meta.international_prefix) if meta.international_prefix else None
    return min(shortest) - _added(meta) - _added(main), idd


@lru_cache(maxsize=4096)
def _shape(candidate: str) -> tuple[bool, int, str]:
    """(whether it may be international or a vanity number, how many digits, its digits as ASCII)."""
    # "+44 …" may be any country; letters may be a vanity number ("1-800-FLOWERS"): never skipped
    free = any(c in PLUS_CHARS or c.isalpha() for c in candidate)
    return free, sum(c.isdigit() for c in candidate), phonenumbers.normalize_digits_only(candidate)


def hopeless(candidate: str, region: str | None) -> bool:
    """True when no part of the candidate can parse as a valid number of the region or by its dialling prefix."""
    rules = _rules(region) if region else None
    if rules is None:
        return False
    free, count, digits = _shape(candidate)
    floor, idd = rules
    if free or count >= floor:
        return False
    # "0044 …": after the region's dialling prefix a number may be of any length its country allows
    return idd is None or not idd.search(digits)


class _Matcher(PhoneNumberMatcher):
    """libphonenumber's matcher that turns down hopeless candidates before parsing them."""

    def _extract_match(self, candidate: str, offset: int) -> Any:
        """None for a hopeless candidate (as parsing it would end), else the matcher's own answer."""
        if self.leniency != Leniency.POSSIBLE and hopeless(candidate, self.preferred_region):
            return None
        return super()._extract_match(candidate, offset)


class RegionPhoneRecognizer(PhoneRecognizer):
    """Presidio's PhoneRecognizer (same results, same order) over the pruning matcher."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Phone numbers of the supported regions, as Presidio's recognizer finds them."""
        results = []
        for region in self.supported_regions:
            label = region  # Presidio names the region the first parsed match belongs to for the rest too
            for match in _Matcher(text, region, leniency=self.leniency):  # type: ignore[arg-type]
                try:
                    label = phonenumbers.region_code_for_number(phonenumbers.parse(text[match.start:match.end]))
                except NumberParseException:
                    pass
                results.append(self._get_recognizer_result(match, text, label, nlp_artifacts))
        return EntityRecognizer.remove_duplicates(results)
