"""Presidio set up to run offline, plus recognizers for what its defaults miss."""

from __future__ import annotations

import logging
import re
from typing import Any

import tldextract
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    SpacyRecognizer,
)

from moderation.pii_address import (
    PHONE_CONTEXT,
    BlockAddressRecognizer,
    CapitalisedNameRecognizer,
    WordPhoneRecognizer,
    address_recognizer,
)
from moderation.pii_cards import MaskedCardRecognizer
from moderation.pii_dictated import split_email_spans
from moderation.pii_engine import BlankSpacyNlpEngine, CachedRegistry
from moderation.pii_ids import BankDetailsRecognizer, NationalIdRecognizer
from moderation.pii_japan import JapaneseAddressRecognizer
from moderation.pii_phone import RegionPhoneRecognizer
from moderation.pii_pieces import PiecesRecognizer
from moderation.pii_tagger import TaggerRecognizer

# Regions tried for numbers written without a country code.
PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "IE", "IN", "AU", "CA", "BR", "MX")
# The bundled public-suffix snapshot only: never fetch the list over the network.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
STREET_TYPES = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|"
    r"Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Crescent|Close|Row|Alley|Pass|Path|Loop|"
    r"Plaza|Grove|Gardens|Mews|Walk|Heights|Hts|Parade|Esplanade|Promenade|Causeway|Freeway|Expressway|Tollway|"
    r"Turnpike|Pike|Route|Rte|Bypass|Crossing|Xing|Junction|Jct|Bridge|Brg|Ferry|Landing|Harbor|Harbour|Haven|"
    r"Hollow|Ridge|Knoll|Mount|Mountain|Mtn|Hill|Hills|Valley|Vly|View|Vista|Glen|Green|Meadow|Meadows|Field|"
    r"Fields|Park|Reserve|Springs?|Creek|Brook|Lake|Lakes|Shore|Shores|Beach|Point|Pt|Cape|Island|Isle|Bay|"
    r"Port|Ports|Station|Sta|Track|Trace|Lock|Locks|Mill|Mills|Forge|Forges|Fort|Ft|Ranch|Estate|Estates|"
    r"Village|Vlg|Ville|Cove|Curve|Bend|Run|Rise|Row|Ramp|Spur|Stream|Summit|Underpass|Viaduct|Wall|Wells?|"
    r"Lights?|Fall|Falls|Oval|Pines|Plains?|Burg|Camp|Canyon|Center|Centre|Chase|Corner|Corners|Dale|Dam|"
    r"Divide|Drives|Extension|Ext|Flat|Flats|Ford|Fords|Forest|Garden|Gateway|Grove|Groves|Inlet|Keys?|"
    r"Lane|Loaf|Manor|Manors|Neck|Orchard|Pass|Pine|Prairie|Radial|Rapids?|Rest|Roads|Shoal|Shoals|Squares|"
    r"Streets|Terrace|Throughway|Trafficway|Tunnel|Union|Unions|Views|Villages|Ways|Wharf|Close|Rd|Avenues|"
    r"Boulevards|Courts|Parkways|Crescents|Byway|Laneway|Quay|Chowk|Nagar|Marg|Wynd|Gate|Side"
)
UNIT = r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|#)\.?\s*#?\w{1,6})?"
CITY_ZIP = (r"(?:,\s*[A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+){0,2}(?!\w)(?:,?\s+[A-Z]{2}(?!\w))?"
            r"(?:\s+\d{5}(?:-\d{4})?|\s+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d|"
            r",?\s+[AC-FHKNPRTV-Y]\d[\dW]\s?[AC-FHKNPRTV-Y\d]{4})?)?")  # US ZIP, UK, Canadian or Irish postcode
EUROPEAN_STREET = (r"(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|straat|gatan|vägen|vej|veien|"
                   r"katu|tie|"
                   r"tee|gate|utca|útja|út)")
DOT = r"(?:\s*[\(\[\{<]\s*(?:dot|\.)\s*[\)\]\}>]\s*|\s+dot\s+|\s*[—–-]{1,2}\s*dot\s*[—–-]{1,2}\s*|\.)"


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer with a public-suffix check that never goes online."""

    def validate_result(self, pattern_text: str) -> bool:
        """Accept the address when its domain has a known public suffix."""
        return bool(_OFFLINE_TLD(pattern_text.rsplit("@", 1)[-1]).suffix)


# What may join two groups of digits in a dictated value: separators, a line break, "then", "and", "dash".
# "4111 1111, then 1111 1111"; "starting 6011 1111 and ending 1111 1117" (round 8, dev4); "begins 2720,
# followed by 0527" (round 9, dev5): Luhn decides.
GROUP_JOIN = (r"(?:[ ./-]{0,2}|\s*\n\s*|,?\s+(?:(?:and\s+)?then|and(?:\s+end(?:ing|s)(?:\s+(?:in|with))?)?|"
              r"(?:and\s+)?followed\s+by|dash|space)\s+|,\s+)")


# A card is a whole value, not a stretch inside a longer run of digit groups ("9400 1111 2222 3333 4444 55").
NOT_AFTER_DIGITS = r"(?<![\d.,/+-])(?<!\d[ ./-]{1,2})"
NOT_BEFORE_DIGITS = r"(?!\s?[./-]?\s?\d)"


class SplitCardRecognizer(PatternRecognizer):
    """13-19 digit card numbers split by spaces, dashes or dots; Luhn-checked."""

    def __init__(self) -> None:
        """Register the split-digits pattern."""
        super().__init__("CREDIT_CARD", name="SplitCardRecognizer", patterns=[
            Pattern("split card",
                    rf"{NOT_AFTER_DIGITS}[1-6](?:[ ./-]{{0,2}}\d){{12,18}}(?!\d|[,./-]\d){NOT_BEFORE_DIGITS}", 0.5),
            # Groups of four across lines or joined by words: "4111 1111, then 1111 1111".
            Pattern("card in groups", rf"{NOT_AFTER_DIGITS}[1-6]\d{{3}}(?:{GROUP_JOIN}\d{{4}}){{2,3}}"
                    rf"(?:{GROUP_JOIN}\d{{1,3}})?(?!\d){NOT_BEFORE_DIGITS}", 0.5)],
            context=["card", "visa", "mastercard", "amex", "credit", "debit"])
        self._stock = CreditCardRecognizer()  # reuse Presidio's Luhn validator

    def validate_result(self, pattern_text: str) -> bool:
        """Accept only 13-19 digits that pass the Luhn checksum."""
        digits = re.sub(r"\D", "", pattern_text)
        return 13 <= len(digits) <= 19 and bool(self._stock.validate_result(digits))


def _address_recognizer() -> PatternRecognizer:
    """Street addresses: '12 Main St Apt 4, Springfield, IL 62704', 'Musterstraße 5', 'P.O. Box 12'."""
    patterns = [
        Pattern("number street", rf"(?<![\d.,:])\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?"
                rf"(?:[A-Z][\w'.-]*\s+){{1,4}}(?:{STREET_TYPES})\b\.?(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
                rf"{UNIT}{CITY_ZIP}", 0.7),
        Pattern("european street",
                rf"\b[A-ZÀ-Ý][\wäöüßéèà-]*(?i:{EUROPEAN_STREET})\s+\d{{1,4}}[a-z]?\b", 0.7),
        Pattern("street words first", r"(?i)\b(?:rue|calle|via|avenida|avenue|rua|ul\.|ulica)\s+"
                r"(?:[\w'-]+\s){1,4}"
                r"\d{1,4}\b|(?<![\w.,/-])\d{1,4},?\s(?:rue|calle|avenida|rua)\s(?:[\w'-]+\s?){1,4}", 0.6),
        Pattern("street number first", rf"\b\d{{1,5}}\s+[A-ZÀ-Ý][\w-]*\s+(?:Str\.|{EUROPEAN_STREET})", 0.6),
        Pattern("military", r"\b(?:PSC|Unit|USNS|USS|USCGC)\s+[\w ]+,?\s*(?:Box\s+\d+)?\s*"
                r"[AFD]PO\s+A[AEP]\s+\d{5}",
                0.7),
        Pattern("po box", r"(?i:\b(?:P\.?\s?O\.?\s?Box|GPO\s+Box|Locked\s+Bag|Private\s+Bag|Postfach|Postbus|"
                r"Bo[iî]te\s+postale|Apartado(?:\s+de\s+correos)?|Casilla|Caixa\s+Postal|Casella\s+postale))"
                r"\s+\d{1,6}(?:\s\d{2}){0,2}\b", 0.7),
        # Latin American grid addresses: "Calle 93 #11-26", "Carrera 7 No. 32-16".
        Pattern("grid", r"\b(?:Calle|Carrera|Cra\.?|Cl\.?|Kr\.?|Avenida|Av\.?|Diagonal|Dg\.?|Transversal|Tv\.?)\s+"
                r"\d{1,3}[A-Z]?(?:\s?(?:bis|Sur|Norte|Este))?\s*(?:#|No\.?|N[°º])\s*\d{1,3}[A-Z]?\s*-\s*\d{1,3}\b",
                0.7),
        # "Rua Augusta, 1500", "Av. Paulista, 1578": the number after a comma.
        Pattern("street word, number", r"\b(?:Rua|Av\.|Avenida|Alameda|Travessa|Calle|Via|Viale|Piazza)\s+"
                r"(?:\p{Lu}[\w'’.-]*\s?){1,4},\s*\d{1,5}\b", 0.6),
    ]
    # Case matters here: "open at 9.30 and close" must not read as "30 And Close".
    return PatternRecognizer("STREET_ADDRESS", name="StreetAddressRecognizer", patterns=patterns,
                             context=["address", "live", "ship", "deliver", "street"],
                             global_regex_flags=re.DOTALL | re.MULTILINE)


class SplitIbanRecognizer(PatternRecognizer):
    """IBANs in lower case or split by dots, dashes or line breaks; checked with Presidio's IBAN validator."""

    def __init__(self) -> None:
        """Register the loose IBAN pattern."""
        sep = r"(?:[ .-]|\s*\n\s*)"  # printed in groups of four, the last one shorter and all digits
        regex = rf"(?i)\b[a-z]{{2}}\d{{2}}(?:{sep}[a-z0-9]{{4}}){{2,7}}(?:{sep}\d{{1,3}})?\b"
        super().__init__("IBAN_CODE", name="SplitIbanRecognizer", patterns=[Pattern("split iban", regex, 0.5)],
                         context=["iban", "account", "bank", "transfer", "refund"])
        from presidio_analyzer.predefined_recognizers import IbanRecognizer

        self._stock = IbanRecognizer()

    def validate_result(self, pattern_text: str) -> bool:
        """Accept 15-34 characters that pass the IBAN checksum."""
        compact = re.sub(r"[\s.-]", "", pattern_text).upper()
        return 15 <= len(compact) <= 34 and bool(self._stock.validate_result(compact))


def _spelled_email_recognizer() -> PatternRecognizer:
    """Emails written to dodge filters: 'jane at gmail dot com', 'jane(at)mail(dot)de'."""
    at = r"(?:\s*[\(\[\{<]\s*(?:at|@)\s*[\)\]\}>]\s*|\s+at\s+|\s*[—–-]{1,2}\s*at\s*[—–-]{1,2}\s*)"  # "jo — at — x.me"
    # generic and country top-level domains where mail providers are (round 9, dev5: "sapo(dot)pt")
    tld = (r"(?:com|net|org|edu|gov|io|co|uk|de|fr|es|it|nl|info|me|us|ca|in|br|au|jp|ch|at|be|se|pl|pt|ie|nz|za|"
           r"mx|ar|cl|ru|tr|gr|dk|no|fi|cz|hu|ro|id|sg|my|ph|vn|th|kr|cn|tw|hk|ae|sa|eg|ng|ke|pk|bd|ua|bg)")
    regex = rf"\b[\w+-]+(?:{DOT}[\w+-]+)*{at}[\w-]+(?:{DOT}[\w-]+)*{DOT}{tld}\b"  # "john dot smith at …"
    # "sue @ yahoo . com": an address broken up by spaces around its punctuation.
    spaced = rf"\b[\w.+-]+\s*@\s*[\w-]+(?:\s*\.\s*[\w-]+)*?\s*\.\s*{tld}\b"
    return PatternRecognizer("EMAIL_ADDRESS", name="SpelledEmailRecognizer",
                             patterns=[Pattern("spelled email", regex, 0.6), Pattern("spaced email", spaced, 0.6)],
                             global_regex_flags=re.IGNORECASE | re.DOTALL | re.MULTILINE)


class ShortPhoneRecognizer(PatternRecognizer):
    """International and short local formats phonenumbers skips without a region or context."""

    def __init__(self) -> None:
        """Register the patterns; weak ones count only next to a context word."""
        super().__init__("PHONE_NUMBER", name="ShortPhoneRecognizer", patterns=_PHONE_PATTERNS,
                         context=PHONE_CONTEXT)

    def validate_result(self, pattern_text: str) -> bool | None:
        """Reject values outside 7-15 digits; None keeps the pattern's own (context-boosted) score."""
        return None if 7 <= len(re.sub(r"\D", "", pattern_text)) <= 15 else False


EXT = r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,5})?"
_PHONE_PATTERNS = [
    Pattern("intl", rf"(?<![\w+])\+\d{{1,3}}(?:[ .-]?\(0?\d{{1,4}}\))?(?:[ .-]?\d{{1,5}}){{2,5}}{EXT}(?![\w-])",
            0.6),
    Pattern("grouped", rf"(?<![\w.-])\(?0\d{{1,4}}\)?(?:[ .-]\d{{2,8}}){{1,4}}{EXT}(?![\w.-])", 0.35),
    Pattern("us with extension", r"(?<![\w.-])(?:\d{3}[.-]){2}\d{4}(?:x|ext\.?\s?)\d{1,5}\b", 0.5),
    Pattern("area code", r"(?<![\w.-])\(\d{2,4}\)\s?\d{3}[ .-]\d{3,4}(?![\w.-])", 0.3),
    Pattern("us", r"(?<![\w.-])\(\d{3}\)\s?\d{3}[ .-]\d{4}(?![\w.-])", 0.35),
    Pattern("short local", r"(?<![\w.-])\d{3}[ .-]\d{4}(?![\w.-])", 0.2),
    # Any grouping of 7-12 digits; only reported with a context word such as "phone" or "mobile".
    Pattern("grouped digits", r"(?<![\w.,/:-])\d{2,5}(?:[ .-]\d{2,7}){1,3}(?![\w/:-]|[.,]\w)", 0.1),
    # An unbroken run of 7-12 digits ("92440268"); only reported next to a cue.
    Pattern("digit run", r"(?<![\w.,/:+-])\d{7,12}(?![\w/:-]|[.,]\w)", 0.1),
    # Split by slashes or by commas ("030/1234/5678", "617, 555, 0142"); dates are dropped later.
    Pattern("slashed", r"(?<![\w.,/:-])\d{2,5}(?:\s?/\s?\d{2,7}){1,3}(?![\w/:-]|[.,]\d)", 0.1),
    Pattern("comma groups", r"(?<![\w.,/:-])\d{3},\s?\d{3},\s?\d{4}(?![\w,:-]|\.\d)", 0.1),
]


class _LuhnRecognizer(PatternRecognizer):
    """A pattern whose digits must pass the Luhn checksum."""

    def validate_result(self, pattern_text: str) -> bool:
        """Accept only digit strings that pass Luhn."""
        digits = [int(c) for c in re.sub(r"\D", "", pattern_text)][::-1]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits))
        return total % 10 == 0


class SplitEmailRecognizer(EntityRecognizer):
    """An email address told as its user name, a cue such as "the rest is", then "@domain" (pii_dictated)."""

    def __init__(self) -> None:
        """Report the stretch from the user name to the domain as one EMAIL_ADDRESS."""
        super().__init__(supported_entities=["EMAIL_ADDRESS"], name="SplitEmailRecognizer")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Each user name joined to the bare domain that follows it."""
        return [RecognizerResult("EMAIL_ADDRESS", s, e, 0.7) for s, e in split_email_spans(text)]


def _card_after_word_recognizer() -> PatternRecognizer:
    """12-digit Maestro-style cards, only right after the word "card" (too short to trust elsewhere)."""
    regex = r"(?i:(?<=\bcard\s*(?:number|no\.?|#)?:?\s*))\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d-])"
    return _LuhnRecognizer("CREDIT_CARD", name="CardAfterWordRecognizer",
                           patterns=[Pattern("card word", regex, 0.6)])


def _full_name_recognizer() -> PatternRecognizer:
    """A full name introduced as one ('my name is Jane Doe', 'Mr. John Smith'); a first name alone is not."""
    name = r"[A-Z][a-z'’-]+(?:\s[A-Z]\.?)?\s[A-Z][a-z'’-]+"
    intro = r"(?<=\bname is |\bname's |\bName: |\bMr\. |\bMs\. |\bMrs\. |\bDr\. |\bMr |\bMs |\bMrs |\bDr )"
    regex = rf"{intro}(?!(?:You|We|I|It|This|That|The|Our|Your|They|He|She|Please|Thanks)\b){name}"
    return PatternRecognizer("PERSON", name="FullNameRecognizer", patterns=[Pattern("intro", regex, 0.6)])


def build_analyzer(stock: bool = False, regions: tuple[str, ...] = PHONE_REGIONS) -> AnalyzerEngine:
    """Return an offline AnalyzerEngine; `stock` keeps only Presidio's default recognizers."""
    engine = BlankSpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank"}])
    engine.load()
    registry = CachedRegistry(supported_languages=["en"])
    # Presidio warns once per non-English recognizer it skips; that is expected here, not news.
    presidio_log = logging.getLogger("presidio-analyzer")
    level = presidio_log.level
    presidio_log.setLevel(logging.ERROR)
    try:
        registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    finally:
        presidio_log.setLevel(level)
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(OfflineEmailRecognizer())
    registry.remove_recognizer(SpacyRecognizer.__name__)  # nothing to run without a NER model
    if not stock:
        registry.remove_recognizer("PhoneRecognizer")
        extra: list[Any] = [
            RegionPhoneRecognizer(supported_regions=list(regions), leniency=1, name="PhoneRecognizer"),
            SplitCardRecognizer(), _address_recognizer(),
            _spelled_email_recognizer(), ShortPhoneRecognizer(), _full_name_recognizer(),
            address_recognizer(), WordPhoneRecognizer(), _card_after_word_recognizer(),
            CapitalisedNameRecognizer(), TaggerRecognizer(), SplitIbanRecognizer(),
            BlockAddressRecognizer(), NationalIdRecognizer(), BankDetailsRecognizer(), SplitEmailRecognizer(),
            MaskedCardRecognizer(), PiecesRecognizer(), JapaneseAddressRecognizer(),
        ]
        for rec in extra:
            registry.add_recognizer(rec)
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
