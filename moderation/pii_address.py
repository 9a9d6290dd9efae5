"""Street addresses from many countries and phone numbers written in words, as Presidio recognizers."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

from moderation.phonewords import spelled_digits

# Words that say a nearby number is a phone line (Presidio's context enhancer looks a few words back).
PHONE_CONTEXT = ["phone", "telephone", "call", "cell", "mobile", "mob", "tel", "text", "sms", "number", "reach",
                 "whatsapp", "ring", "dial", "fax", "desk", "landline", "contact", "ph",
                 # a mobile in the words of other countries (round 11)
                 "handphone", "cellulare", "celular", "móvil", "movil", "telemóvel", "handy", "handynummer",
                 "mobiel", "mobilnummer", "natel"]
# A word of a street or place name in any alphabet ("Höfðagata", "Μεγάλη", "Nguyen").
NAME = r"[^\W\d_][\w'’.-]*"
CAP = r"\p{Lu}[\w'’.-]*"  # a capitalised word (the `regex` module, as Presidio uses, knows \p{Lu})
# Street words that come after the name, glued or not ("Hauptstraße", "Storgatan", "Mannerheimintie").
SUFFIX = (r"straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|vej|gade|gata|gatan|vägen|väg|veien|"
          r"vegen|vei|veg|stien|tie|kuja|katu|polku|braut|vegur|gata|laan|straat|gracht|kade|plein|singel|dreef|"
          r"steeg|utca|útja|út|tér|trg|tee|iela|gatvė|gatve|ulica|ulice|cesta|náměstí|nábřeží|sokak|caddesi|"
          r"stræde|vænget|alle|torv|plads|bakken|gränd|backe|torget|brinken|kaari|rinne")
# Street words that come before the name ("rue de la Paix", "Calle Mayor", "ul. Słowicza", "Jalan Sudirman").
PREFIX = (r"rue|avenue|av\.?|bd|boulevard|allée|impasse|quai|chemin|route|place|calle|c/|avenida|avda\.?|"
          r"paseo|plaza|camino|carrer|rua|travessa|largo|praça|estrada|via|viale|piazza|corso|vicolo|"
          r"ul\.|ulica|al\.|aleja|plac|pl\.|os\.|osiedle|jalan|jl\.|duong|đường|phố|soi|thanon|ถนน|شارع|ulitsa|"
          r"ул\.|бул\.|pasaj|alameda|ronda|glorieta|travesía|jardim|vila|sítio|chácara|distrito|conjunto|"
          r"loteamento|rodovia|quadra|setor|vicolo|contrada|strada|borgo|localit[àa]|rotonda|piazzale|callejón|"
          r"privada|viaducto|pasaje|cerrada|circuito|prolongación|andador|calzada|retorno|periférico|"
          r"carretera|urbanización|urb\.")
LEAD = r"(?:(?i:apt|suite|unit|flat)\.?\s*\d{1,5}\s+)?(?:\d{1,6}\s+)?"
UNIT = r"(?:,?\s*(?i:apt|apartment|suite|ste|unit|flat|fl|floor|piso|étage|no|#)\.?\s*#?\w{1,6}\.?)"
PARTICLE = r"de|da|del|della|do|dos|das|la|le|les|des|du|di|van|von|der|den"
# What may follow the street: units, a postcode and a place name, on the same line.
TAIL = (rf"(?:{UNIT}|,?\s*\d+º?\s*(?:izquierda|derecha|izq|dcha|[a-z])\b|"
        r",\s*(?:\d{2,5}[- ]?\d{0,3}\s*[^\W\d_]|(?:[A-Z]{1,2}\s)?\p{Lu})[\w'’.-]*(?:[ -][^\W\d_][\w'’.-]*){0,3}"
        r"(?:,?\s+(?:[A-Z]{2,3}\s+)?\d{4,5}(?:-\d{3,4})?|\s+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|"
        r"\s+\d{4}\s?[A-Z]{2})?){0,3}")
# Phrases that announce an address; after them a name-and-number reads as one even without a street word.
CUE = (r"(?:lives?|living|stays?|resides?)\s+(?:at|on|in)|address(?:\s+is)?:?|deliver(?:ing|ed)?\s+to|"
       r"ship(?:ping|ped)?\s+to|sen[dt]\s+(?:it\s+)?to|(?:is\s+)?going\s+to|goes\s+to|heading\s+to|"
       r"visit|collect(?:ed)?\s+from|corner\s+of|moved\s+to|updated\s+(?:it\s+)?to|changed\s+to|"
       r"pick(?:ed)?\s+up\s+from|drop(?:ped)?\s+(?:it\s+)?(?:off\s+)?at|your\s+home,")


# One street of an intersection: "Lincoln Ave", "W 18th St", "5th Street", "Fullerton".
CORNER_PART = (r"(?:[NSEW]\.?\s+)?(?:\d{1,5}(?:st|nd|rd|th)?|\p{Lu}[\w'’.-]*)"
               r"(?:\s+(?:\p{Lu}[\w'’.-]*|\d{1,4}(?:st|nd|rd|th))){0,3}")


# Street types and postcodes of the one-line pattern (English-speaking countries, where such lines are written).
STREET_WORDS = (r"street|st|road|rd|lane|ln|avenue|ave|drive|dr|court|ct|close|way|place|pl|terrace|ter|crescent|"
                r"boulevard|blvd|grove|gardens|mews|walk|row|parade|circle|cir")
# An Irish Eircode ("A98 F2X4") names one dwelling: routing key, then four characters of a reduced alphabet.
EIRCODE = r"(?:[ac-fhknprtv-y]\d{2}|d6w)\s?[\dac-fhknprtv-y]{4}"
ONE_LINE_POSTCODE = (r"(?:[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2}|[a-z]\d[a-z]\s?\d[a-z]\d|[a-z]{2}\s+\d{5}(?:-\d{4})?|"
                     rf"{EIRCODE})(?![\w-])")


def address_patterns() -> list[Pattern]:
    """Address shapes that need no NER model, from the strictest to the most context-dependent."""
    return [
        # A street word on its own must be capitalised ("Berliner Ring 5"), else glued ("Radlring 1").
        Pattern("street suffix", rf"(?<![\w-])(?i:{LEAD})(?:(?:\p{{Lu}}[\w'’.-]*\s+){{1,2}}(?=\p{{Lu}})[^\W\d_]*|"
                rf"[^\W\d_]+)(?i:{SUFFIX})"
                rf"(?:\s+{NAME}){{0,2}}\s*\d{{1,5}}(?:[a-z]\b|\s?[A-Z]\b)?(?:[/-]\d{{1,4}})?{TAIL}", 0.65),
        Pattern("street prefix", rf"(?<![\w-])(?:\d{{1,6}},?\s+)?(?i:{PREFIX})\s+(?:(?i:{PARTICLE})\s+)?"
                rf"\p{{Lu}}[\w'’.-]*(?:\s+{NAME}){{0,4}}"
                rf",?\s+\d{{1,5}}[a-z]?\b(?:[/-]\d{{1,4}})?{TAIL}", 0.65),
        Pattern("number then prefix", rf"(?i)(?<![\w.,-])(?:\d{{1,6}}\s+)?\d{{1,5}}[a-z]?,?\s+(?:{PREFIX})\s+{NAME}"
                rf"(?:\s+{NAME}){{0,3}}{TAIL}", 0.6),
        Pattern("after a cue", rf"(?i:(?<=(?:{CUE})\s*))(?:\d{{1,6}}\s+)?(?:{CAP}\s+){{1,4}}\d{{1,5}}[a-z]?\b"
                rf"(?![.,]\d){TAIL}", 0.6),
        Pattern("address line", rf"(?m)^[ \t]*{LEAD}\p{{Lu}}[\w'’.-]*(?:[ -]\p{{Lu}}[\w'’.-]*){{0,3}}\s\d{{1,5}}"
                rf"[a-z]?\b{TAIL}[ \t]*$", 0.5),
        Pattern("corner", rf"(?i:corner\s+of)\s+{CORNER_PART}\s+(?:and|&)\s+{CORNER_PART}", 0.55),
        Pattern("number first after a cue", rf"(?i:(?<=(?:{CUE})\s*))\d{{1,6}}[a-z]?(?:\s+\d{{1,5}})?\s+"
                rf"(?:{NAME}\s+){{0,3}}{NAME}{TAIL}", 0.55),
        # One line in any case, number and street type first, a postcode with letters or a state and ZIP last:
        # "18 oak lane little milton oxford ox44 7qf", "742 evergreen terrace apt 3b, springfield, or 97403".
        Pattern("one line to a postcode", rf"(?i)(?<![\w.,/-])\d{{1,5}}[a-z]?\s+(?:{NAME}\s+){{1,3}}"
                rf"(?:{STREET_WORDS})\b{UNIT}?(?:,?\s+{NAME}){{0,4}},?\s+{ONE_LINE_POSTCODE}", 0.6),
        # The same without commas, to a bare four-digit postcode (South Africa, Australia, New Zealand…):
        # "23 jacaranda street waterkloof pretoria 0181" (round 10, dev7).
        Pattern("one line to four digits", rf"(?i)(?<![\w.,/-])\d{{1,5}}[a-z]?\s+(?:{NAME}\s+){{1,3}}"
                rf"(?:{STREET_WORDS})\s+(?:{NAME}\s+){{1,3}}\d{{4}}(?![\w-]|[.,]\d)", 0.6),
        # Bengaluru's numbered crosses and mains, comma-separated parts, then a six-digit PIN code:
        # "118, 14th Cross, Indiranagar 2nd Stage, Bengaluru 560038" (round 10, dev7).
        Pattern("cross or main to a PIN", rf"(?i)(?<![\w.,/-])(?:\d{{1,5}}[a-z]?,?\s+)?\d{{1,3}}(?:st|nd|rd|th)\s+"
                rf"(?:cross|main)(?:\s+road)?,(?:\s+[^,\n!?]{{2,30}},){{0,3}}\s+{NAME}\s+\d{{3}}\s?\d{{3}}(?![\w-])",
                0.6),
        # A flat or unit, then comma-separated parts to a postcode: "Apartment 21, The Maltings, Bray,
        # Co. Wicklow, A98 F2X4" (round 9, dev5), where no part holds a street type.
        Pattern("unit to a postcode", rf"(?i)(?<![\w.,/-])(?:apartment|apt\.?|flat|unit|suite)\s*\d{{1,5}}[a-z]?,"
                rf"(?:\s+[^,\n!?]{{2,30}},){{1,4}}\s+{ONE_LINE_POSTCODE}", 0.6),
        # An Irish rural address has no house number or street: townland, village, county, then the Eircode of
        # the one dwelling ("Ballinacurra, Kilmeedy, Co. Limerick V42 XP73"; round 10, dev6).
        Pattern("townland to an eircode", rf"(?<![\w-])(?:\p{{Lu}}[\w'’-]+(?:\s\p{{Lu}}[\w'’-]+)?,\s+){{1,3}}"
                rf"(?:Co\.?|County)\s+\p{{Lu}}[\w'’-]+,?\s+(?i:{EIRCODE})(?![\w-])", 0.6),
    ]


UNIT_FIRST = re.compile(r"(?i)(?:apartment|apt\.?|flat|unit|suite)\s*\d")


class AddressRecognizer(PatternRecognizer):
    """Street addresses in free text from many countries (number before or after the street name)."""

    def __init__(self) -> None:
        """Register the address shapes; case matters ("open at 9.30 and close" is no "30 And Close")."""
        super().__init__("STREET_ADDRESS", name="WorldAddressRecognizer", patterns=address_patterns(),
                         context=["address", "live", "lives", "ship", "deliver", "street", "home"],
                         global_regex_flags=re.DOTALL | re.MULTILINE)

    def validate_result(self, pattern_text: str) -> bool | None:
        """An all-lower-case match must at least start with a house number ("255 hersnapvej 18")."""
        if pattern_text == pattern_text.lower() and not pattern_text.lstrip()[:1].isdigit():
            return False
        from moderation.pii_tagger import STREET_WORD, TOKEN, few_prose_words

        if ((re.search(rf"(?i)\b(?:{STREET_WORDS})\b", pattern_text) or UNIT_FIRST.match(pattern_text))
                and re.search(rf"(?i)\s{ONE_LINE_POSTCODE}\s*$", pattern_text)):
            return None  # number, street type and postcode: an address whatever its words ("18 oak lane ...")
        toks = TOKEN.findall(pattern_text)
        if toks[0].lower() == "corner" and not any(t[:1].isdigit() or STREET_WORD.match(t) for t in toks[2:]):
            return False  # "corner of Smith and Jones" may be two people; a street word or a number says street
        return None if few_prose_words(pattern_text) else False


def address_recognizer() -> PatternRecognizer:
    """The address recognizer."""
    return AddressRecognizer()


_DIGIT = r"(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b|\d{1,4}(?!\d))"
_REPEAT = r"(?:double|triple)"
_SEP = r"(?:[\s,.-]|\s(?:and|then)\s){1,3}"
# A digit or a repeat written as a word: what sets a spelled number apart from grouped digits.
_WORD_DIGIT = re.compile(r"(?i)\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)\b")


class WordPhoneRecognizer(PatternRecognizer):
    """Phone numbers written to dodge filters: digits as words or one at a time ("five five five, two one …")."""

    def __init__(self) -> None:
        """A run of at least seven digits spelled out or spaced, possibly led by "+"."""
        regex = (rf"(?i)(?<![\w.])\+?(?:{_REPEAT}\s)?{_DIGIT}(?:{_SEP}(?:{_REPEAT}\s)?{_DIGIT}){{2,16}}"
                 r"(?![\w.]\d)")
        super().__init__("PHONE_NUMBER", name="WordPhoneRecognizer",
                         patterns=[Pattern("spelled phone", regex, 0.45)],
                         context=PHONE_CONTEXT)

    def validate_result(self, pattern_text: str) -> bool | None:
        """Accept 7-15 digits, of which some were written as words or one at a time."""
        digits = spelled_digits(pattern_text)
        if not 7 <= len(digits) <= 15:
            return False
        groups = re.findall(r"\d+", pattern_text)
        # Plain grouped digits ("415 555 0132") are the other recognizers' business.
        return None if _WORD_DIGIT.search(pattern_text) or max(map(len, groups), default=0) == 1 else False


class CapitalisedNameRecognizer(PatternRecognizer):
    """Two or three capitalised words that are not dictionary words: most likely a person's full name."""

    def __init__(self) -> None:
        """Capitalised word pairs (with an optional middle initial), in any alphabet with case."""
        word = r"\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?"
        regex = rf"(?<![\w@#.-]){word}(?:\s\p{{Lu}}\.?)?(?:\s{word}){{1,2}}(?![\w@-])"
        super().__init__("PERSON", name="CapitalisedNameRecognizer", patterns=[Pattern("name", regex, 0.45)],
                         context=["name", "customer", "mr", "mrs", "ms", "dr", "lives", "contact", "holder"],
                         global_regex_flags=re.DOTALL | re.MULTILINE)  # case is the whole signal here

    def validate_result(self, pattern_text: str) -> bool | None:
        """Reject pairs with an ordinary word of a shipped language ("Black Friday", "Schönen Abend", "Hi Cade")."""
        from moderation.langid import WORDLIST_LANGS, common_words

        words = [w.lower() for w in re.findall(r"[^\W\d_]{2,}", pattern_text)]
        if len(words) < 2 or words[0] in GREETINGS:
            return False
        return None if not any(w in common_words(lang) for w in words for lang in WORDLIST_LANGS) else False


GREETINGS = frozenset("hi hello hey dear thanks thank cheers sincerest kind best warm regards good morning "
                      "afternoon evening happy merry hola bonjour hallo ciao ola olá".split())


# A postcode closing an address block: UK, Canadian, Brazilian, Polish, Dutch, or 4-6 digits (US, DE, FR, AU, IN…).
POSTCODE = (r"(?i:[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2}|[a-z]\d[a-z]\s?\d[a-z]\d|\d{5}-\d{3}|\d{2}-\d{3}|"
            r"\d{4}\s?[a-z]{2}\b|\d{4,6})(?!\w)")
BLOCK_START = (rf"(?<![\w'’.,/-])(?:\d{{1,6}}\b|(?i:studio|flat|apt\.?|apartment|unit|suite|h\.\s?no\.|house|level|"
               rf"floor|room|block|p\.?\s?o\.?\s?box)\b|(?i:{PREFIX})\s|[^\W\d_][\w'’-]*(?i:{SUFFIX})\b|"
               rf"(?:\p{{Lu}}[\w'’.-]*\s+){{0,2}}\p{{Lu}}[\w'’.-]*,\s*\d)")  # "Strada Taliercio, 47"; not a name


# A labelled field of a form or a time stamp: such a line is not part of an address.
FIELD = re.compile(r"^\s*(?:[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+)?:\s|.*\b\d{1,2}:\d{2}\b)")
# Words of a sentence, not of an address block.
BLOCK_STOP = frozenset("a an and or but is are was were be been we you i it they he she to in for with by from this "
                       "that your our my his her their will would can could please thanks have has had do not if as "
                       "so order ticket total".split())


# Postcodes with letters or a shape of their own: UK, Canadian, Brazilian, Polish, Dutch, US state and ZIP.
STRONG_POSTCODE = re.compile(r"(?i)\b(?:[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2}|[a-z]\d[a-z]\s?\d[a-z]\d|\d{5}-\d{3}|"
                             rf"\d{{2}}-\d{{3}}|\d{{4}}\s?[a-z]{{2}}|[a-z]{{2}},?\s+\d{{5}}(?:-\d{{4}})?|{EIRCODE})\b")


def _has_street_word(value: str) -> bool:
    """True when a word of the value is a street or unit word ("Court", "Lights", "Flat", "Hauptstraße")."""
    from moderation.pii_recognizers import STREET_TYPES
    from moderation.pii_tagger import STREET_WORD, TOKEN, UNIT_WORD

    types = re.compile(rf"(?i)^(?:{STREET_TYPES})\.?$|^[^\W\d_]+(?:{SUFFIX})$")  # "Court"; "jacobplatz"
    units = re.compile(r"(?i)^(?:edif|depto|dpto|puerta|piso|int|interior|scala|interno|bloco|bloque|portal|"
                       r"escalera|esc|etage|stiege|tür|top|lgh)$")
    return any(STREET_WORD.match(t) or UNIT_WORD.match(t) or types.match(t) or units.match(t)
               or re.match(rf"(?i)^(?:{PREFIX})$", t) for t in TOKEN.findall(value))


class BlockAddressRecognizer(PatternRecognizer):
    """An address written as a block of two to four short lines, the last one holding a postcode."""

    def __init__(self) -> None:
        """Register the block shape; the checks on its lines are in `validate_result`."""
        regex = rf"{BLOCK_START}[^\n]{{0,45}}(?:\n[ \t]*[^\n]{{1,45}}){{0,2}}?\n[ \t]*[^\n]{{0,40}}?{POSTCODE}"
        super().__init__("STREET_ADDRESS", name="BlockAddressRecognizer",
                         patterns=[Pattern("address block", regex, 0.6)],
                         context=["address", "ship", "deliver", "send", "post"], global_regex_flags=re.MULTILINE)

    def validate_result(self, pattern_text: str) -> bool | None:
        """Short lines, a digit in the first, and no run of ordinary prose; nothing in scripts without spaces."""
        from moderation.pii_tagger import CJK, few_prose_words

        lines = pattern_text.split("\n")
        if CJK.search(pattern_text) or not any(c.isdigit() for c in lines[0]):
            return False
        if any(len(line.split()) > 7 or line.rstrip().endswith(("!", "?")) or FIELD.match(line) for line in lines):
            return False  # a sentence, or a form ("Name: …", "Phone: …", a time stamp), not an address
        if len(BLOCK_STOP.intersection(re.findall(r"[^\W\d_]+", pattern_text.lower()))) >= 2:
            return False
        if len(lines) < 3 and not (STRONG_POSTCODE.search(lines[-1]) or _has_street_word(pattern_text)):
            return False  # two lines need a street word or a postcode that is more than digits
        # In lower case a street or town name is often an ordinary word ("7104 mitchell lights").
        return None if few_prose_words(pattern_text) or pattern_text == pattern_text.lower() else False
