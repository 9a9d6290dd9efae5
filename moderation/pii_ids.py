"""National identity numbers and domestic bank details, as Presidio recognizers.

An identity number is short and often all digits, so on its own it looks like an order or ticket number.
Each one is reported only when two things hold: the document is named before it in the same sentence
("National Insurance number", "Aadhaar", "DNI", "passport no.") and the value passes that document's own
format and check digits (python-stdnum). Bank details without an IBAN (a UK sort code, an Indian IFSC, an
Australian BSB, a US routing number) count when an account number is given next to the bank code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum.au import tfn
from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.de import idnr
from stdnum.dk import cpr
from stdnum.es import dni, nie
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.ie import pps
from stdnum.in_ import aadhaar, pan
from stdnum.it import codicefiscale
from stdnum.mx import curp
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.se import personnummer
from stdnum.us import rtn
from stdnum.za import idnr as za_idnr

from moderation.pii_dictated import SENTENCE_END

# A UK National Insurance number: two prefix letters from the issued ranges, six digits, a suffix A-D.
_NINO_PREFIX_BANNED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
# The organisation's own number, named as such right before the document's name; not "at our end shows" or
# "our records have", where "our" names where the customer's number is kept (round 11, dev8).
OURS = re.compile(r"(?i)\b(?:our|the\s+company'?s?)\s+(?:(?!(?:end|side|records?|system|files?|database|shows?|has|"
                  r"have|lists?|holds?|says?)\b)[\w'’-]+\s+){0,2}?$")


def _nric(value: str) -> bool:
    """True for a Singapore NRIC or FIN whose final letter matches its check digit."""
    value = value.upper()
    if not re.fullmatch(r"[STFG]\d{7}[A-Z]", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[1:8], (2, 7, 6, 5, 4, 3, 2), strict=True))
    total += 4 if value[0] in "TG" else 0  # the series born or issued from 2000 on
    return ("JZIHGFEDCBA" if value[0] in "ST" else "XWUTRQPNMLK")[total % 11] == value[-1]


def _curp(value: str) -> bool:
    """True for a CURP with a real birth date and state; a wrong check digit alone still names a person."""
    try:
        curp.validate(value)
    except InvalidChecksum:
        return True  # the other 17 characters (date, sex, state, name consonants) are already specific
    except ValidationError:
        return False
    return True


def _nino(value: str) -> bool:
    """True for a National Insurance number from the issued ranges (HMRC publishes no check digit)."""
    compact = re.sub(r"\s", "", value).upper()
    return bool(re.fullmatch(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]", compact)
                and compact[:2] not in _NINO_PREFIX_BANNED)


@dataclass(frozen=True)
class IdKind:
    """One kind of identity number: the words that name it, its shape, and its check."""

    cue: str
    value: str
    valid: Callable[[str], bool] | None
    reach: int = 90  # how far before the value its name may be; a value without check digits must be close


ID_KINDS = (
    IdKind(r"(?i:national\s+insurance)|\bNI\s*(?:number|no\b)|\bNINO\b",
           r"[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]", _nino),
    IdKind(r"(?i:aadh?aa?r)|\bUIDAI?\b", r"[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}", aadhaar.is_valid),
    # the fourth letter says whose PAN it is: P for a person (C for a company, F for a firm, …)
    IdKind(r"\bPAN\b|(?i:permanent\s+account\s+number)", r"[A-Z]{3}P[A-Z]\d{4}[A-Z]", pan.is_valid),
    IdKind(r"\bSIN\b|(?i:social\s+insurance)", r"\d{3}[ -]?\d{3}[ -]?\d{3}", sin.is_valid),
    IdKind(r"\bPPSN?\b|(?i:personal\s+public\s+service)", r"\d{7}[A-W][ABWTXZ]?", pps.is_valid),
    IdKind(r"\bCPF\b", r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}", cpf.is_valid),
    IdKind(r"\b(?:DNI|NIF|NIE)\b", r"[XYZ]?-?\d{7,8}-?[A-Z]", lambda v: dni.is_valid(v) or nie.is_valid(v)),
    IdKind(r"\bBSN\b|(?i:burgerservicenummer|citizen\s+service\s+number)", r"\d{4}\.?\d{2}\.?\d{3}",
           bsn.is_valid),
    IdKind(r"\bPESEL\b", r"\d{11}", pesel.is_valid),
    IdKind(r"(?i:personnummer)", r"(?:\d{2})?\d{6}[-+]?\d{4}", personnummer.is_valid),
    IdKind(r"(?i:codice\s+fiscale)", r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]", codicefiscale.is_valid),
    IdKind(r"\bTFN\b|(?i:tax\s+file\s+number)", r"\d{3}[ -]?\d{3}[ -]?\d{2,3}", tfn.is_valid),
    IdKind(r"\bNHS\s+(?:number|no\b)", r"\d{3}[ -]?\d{3}[ -]?\d{4}", nhs.is_valid),
    IdKind(r"(?i:\bID\s+(?:number|no\b)|identity\s+number)", r"\d{6}\s?\d{4}\s?\d{3}", za_idnr.is_valid),
    IdKind(r"(?i:s[ée]curit[ée]\s+sociale|num[ée]ro\s+de\s+s[ée]cu)|\bNIR\b|\bINSEE\b",
           r"[12]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}\s?\d{2}", nir.is_valid),
    IdKind(r"(?i:steuer-?id|steuer-?identifikationsnummer|tax\s+id)", r"\d{2}\s?\d{3}\s?\d{3}\s?\d{3}",
           idnr.is_valid),
    IdKind(r"\bCPR\b", r"\d{6}-?\d{4}", cpr.is_valid),
    IdKind(r"\bCURP\b", r"[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z\d]\d", _curp),
    IdKind(r"\b(?:NRIC|FIN)\b|(?i:identity\s+card)", r"[STFG]\d{7}[A-Z]", _nric),
    # Passports have no check digit in the number itself: only right after the word.
    IdKind(r"(?i:passport)(?:\s+(?:number|no\.?|num|#))?", r"[A-Z]{0,2}\d{6,9}", None, reach=25),
)


def _named_before(text: str, start: int, kind: IdKind) -> bool:
    """True when the kind's name comes before the value in the same sentence, within its reach."""
    window = text[max(0, start - kind.reach):start]
    cues = list(re.finditer(kind.cue, window))
    if not cues or SENTENCE_END.search(window, cues[-1].end()):
        return False
    return not OURS.search(window, 0, cues[-1].start())  # "our company's tax id": the brand's own number


class NationalIdRecognizer(EntityRecognizer):
    """Identity numbers of many countries: named in the sentence and valid by their own check digits."""

    def __init__(self) -> None:
        """One entity, NATIONAL_ID, for every kind (those of moderation.pii_ids_world too)."""
        from moderation.pii_ids_world import WORLD_ID_KINDS

        self._kinds = [(kind, re.compile(rf"(?<![\w.,/-]){kind.value}(?![\w-]|[.,]\d)"))
                       for kind in (*ID_KINDS, *WORLD_ID_KINDS)]
        super().__init__(supported_entities=["NATIONAL_ID"], name="NationalIdRecognizer")

    def load(self) -> None:
        """Nothing to load: patterns and checks are built in."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Each named, valid identity number."""
        results = []
        for kind, pattern in self._kinds:
            for m in pattern.finditer(text):
                if kind.valid is not None and not kind.valid(re.sub(r"[\s.-]", "", m.group())):
                    continue
                if _named_before(text, m.start(), kind):
                    results.append(RecognizerResult("NATIONAL_ID", m.start(), m.end(), 0.8))
        return results


# Domestic bank codes, each with the word that names it and its checksum where it has one (a US routing number):
# the code alone is the bank's, not the customer's.
BANK_CODES: tuple[tuple[re.Pattern[str], Callable[[str], bool] | None], ...] = (
    (re.compile(r"(?i:sort\s*code)\s*(?:is\s*)?:?\s*(?P<v>\d{2}[- ]?\d{2}[- ]?\d{2})(?![\d-])"), None),
    (re.compile(r"(?i:\bIFSC)(?:\s*code)?\s*(?:is\s*)?:?\s*(?P<v>[A-Z]{4}0[A-Z0-9]{6})\b"), None),
    (re.compile(r"\bBSB\s*(?:is\s*)?:?\s*(?P<v>\d{3}[- ]?\d{3})(?![\d-])"), None),
    # a South African universal branch code, a Canadian transit number, a German Bankleitzahl
    (re.compile(r"(?i:branch\s+code|transit(?:\s+number)?|BLZ)\s*(?:is\s*)?:?\s*"
                r"(?P<v>\d{5,8}|\d{3}\s\d{3}\s\d{2})(?![\d-])"), None),
    (re.compile(r"(?i:routing|ABA|RTN)(?:\s+(?:number|no\.?|#))?\s*(?:is\s*)?:?\s*(?P<v>\d{9})\b"), rtn.is_valid),
)
# An account number named as one: "account 20287760", "a/c no. 50100327741862", "checking account 4830 2217 659".
ACCOUNT = re.compile(r"(?i)(?:account|acct|a/c)(?:\s+(?:number|no\.?|#))?\s*(?:is\s*)?:?\s*"
                     r"(?P<v>\d(?:[ -]?\d){5,17})(?![\d-])")
BANK_GAP = 60  # the account number and the bank code are given together, within this many characters


# A Mexican CLABE names bank, branch and account in 18 digits with its own check digit; no bank code needed.
CLABE = re.compile(r"\bCLABE\b[^\n.!?]{0,40}?(?<!\d)(?P<v>\d{3}[ -]?\d{3}[ -]?\d{11}[ -]?\d)(?![\d-])")


def _clabe(value: str) -> bool:
    """True when the 18 digits pass the CLABE check digit (weights 3, 7, 1)."""
    digits = [int(c) for c in re.sub(r"\D", "", value)]
    total = sum(d * (3, 7, 1)[i % 3] for i, d in enumerate(digits[:17]))
    return len(digits) == 18 and (10 - total % 10) % 10 == digits[17]


class BankDetailsRecognizer(EntityRecognizer):
    """An account number given together with a domestic bank code (sort code, IFSC, BSB, routing number)."""

    def __init__(self) -> None:
        """One entity, BANK_ACCOUNT."""
        super().__init__(supported_entities=["BANK_ACCOUNT"], name="BankDetailsRecognizer")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """The stretch from the bank code to the account number (either order), as one value."""
        accounts = list(ACCOUNT.finditer(text))
        results = []
        for pattern, valid in BANK_CODES:
            for code in pattern.finditer(text):
                if valid is not None and not valid(code.group("v")):
                    continue
                near = [a for a in accounts if _together(text, code, a)]
                if near:
                    start = min(code.start("v"), *(a.start("v") for a in near))
                    end = max(code.end("v"), *(a.end("v") for a in near))
                    results.append(RecognizerResult("BANK_ACCOUNT", start, end, 0.8))
        results += [RecognizerResult("BANK_ACCOUNT", m.start("v"), m.end("v"), 0.8)
                    for m in CLABE.finditer(text) if _clabe(m.group("v"))]
        return results


def _together(text: str, code: re.Match[str], account: re.Match[str]) -> bool:
    """True when the account number is next to the bank code, in the same sentence."""
    if account.start("v") < code.end("v") and code.start("v") < account.end("v"):
        return False  # the same digits read twice ("routing number 071923284" is no account)
    gap = (text[code.end():account.start()] if code.end() <= account.start()
           else text[account.end():code.start()])
    return len(gap) <= BANK_GAP and not SENTENCE_END.search(gap)
