"""Insults aimed at the reader, per language: the word-list safety net under the model for replies.

Matching is forgiving in the ways people write insults: case, inflection (a stem takes a short ending),
letters held down ("idiiot"), accents left out ("imbecil", "do ngu") and, for longer stems, one typo
("inbécil") unless the word is a common word of the language. Thai has no spaces, so it matches anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache

from symspellpy.editdistance import DistanceAlgorithm, EditDistance

from moderation.servicecues import CUES

# Entries come from the dev set's misses and the project-authored training insults, never from the test set.
INSULTS: dict[str, tuple[str, ...]] = {
    "fr": ("idiot", "imbécile", "abruti", "crétin", "débile", "connard", "connasse", "salaud", "salope",
           "pauvre type", "ferme-la", "ta gueule", "ferme ta gueule", "bouffon", "minable", "andouille",
           "enfoiré", "pauvre con", "gros con", "sale con", "espèce de con", "trop con", "t'es con",
           "t'es pathétique", "tu es pathétique", "vous êtes pathétiques", "t'es nul", "tu es nul", "boulet",
           "t'es bête", "tu es bête", "trop bête", "vous êtes bêtes",
           "sale cafard", "tocard", "guignol", "pignouf",
           # Dismissive imperatives and "clown" kinds: the reader is told to get lost or laughed at.
           "dégage", "casse-toi", "barre-toi", "va te faire foutre", "clown",
           # round 6 (dev rows)
           "pleurnich", "profiteur"),
    "es": ("idiota", "imbécil", "estúpid", "tonto", "tonta", "gilipollas", "pendej", "cállate", "inútil",
           "subnormal", "cabrón", "payaso", "pelotudo", "boludo", "burro", "cretino", "das pena",
           "cierra la boca", "capullo", "tarado", "eres patético", "eres patética",
           "lárgate", "piérdete", "pírate", "vete a la mierda", "vete al carajo", "pringado", "pringada",
           "deja de lloriquear", "llorón", "llorona", "mamón",
           # round 4 (dev rows): slang and dismissive forms
           "tontaco", "tontorrón", "mamarracho", "cenutrio", "gañán", "zoquete", "payasete", "cierra el pico",
           "que te den",
           # round 5 (dev rows)
           "zopenco", "cantamañanas",
           # round 6 (dev rows)
           "menso", "mentiroso", "chillón", "chillones", "incompetente"),
    "de": ("idiot", "vollidiot", "depp", "deppen", "trottel", "blöd", "blödmann", "dumm", "dumme", "dummer",
           "dümmer", "arschloch", "arsch", "halt die klappe", "halt's maul", "halts maul", "halt die fresse",
           "vollpfosten", "schwachkopf", "dummkopf", "dumme kuh", "spast", "hirni", "penner", "wichser",
           "versager", "bescheuert", "spinner", "schwachmat",
           "hau ab", "verpiss dich", "verzieh dich", "zieh leine", "schleich dich", "clown", "witzfigur",
           "hohlkopf", "dummköpf", "spacko", "knalltüte",
           # round 5 (dev rows)
           "nervensäge", "heulsuse",
           # round 6 (dev rows)
           "lügner", "ahnungslos", "rumheul", "unfähig",
           # round 8 (dev rows)
           "spatzenhirn", "dödel", "seniler opa", "hässliche fresse"),
    "pt": ("idiota", "imbecil", "otário", "otária", "burro", "burra", "babaca", "estúpid", "cala a boca",
           "cala boca", "retardad", "palhaço", "trouxa", "lixo", "inútil", "cretino", "fecha a matraca",
           "sua vaca", "você é patético", "você é patética", "vai se ferrar",
           "vaza daqui", "some daqui", "vai se catar", "vai te catar", "vai à merda", "vai pra merda",
           "vai pro inferno", "sua anta", "seu anta", "mané",
           # round 6 (dev rows)
           "sem noção", "chorão", "chorona", "incompetente", "mentiroso",
           # round 8 (dev rows)
           "anta"),
    "id": ("bodoh", "goblok", "tolol", "bego", "idiot", "dungu", "otak udang", "bangsat", "kampret",
           "brengsek", "sinting", "diam kau", "bajingan", "nggak becus", "tutup mulutmu",
           "pergi sana", "pergi kau", "enyah", "minggat", "pecundang", "badut", "cengeng", "kampungan",
           # round 4 (dev rows): slang, abbreviated and dismissive forms
           "bacot", "bloon", "oon", "gblk", "goblog", "otak lemot", "sok pinter", "sok pintar", "ngaca dulu",
           "norak",
           # round 5 (dev rows)
           "dasar kere",
           # round 6 (dev rows)
           "pembohong", "dasar gaptek",
           # round 8 (dev rows)
           "muka burik"),
    "vi": ("ngu", "đồ ngốc", "ngốc", "khùng", "điên", "đần", "óc chó", "im đi", "thằng ngu", "con ngu",
           "đồ chó", "mất dạy", "vô học", "đồ ngu", "ngu si", "con ngốc", "im mồm", "thằng đần", "ngậm miệng",
           "óc bã đậu", "ngu như bò", "thảm hại", "đồ vô dụng",
           "cút đi", "biến đi", "đồ hề", "thằng hề", "óc heo", "óc lợn", "dở hơi", "câm miệng", "câm mồm",
           # round 6 (dev rows)
           "đồ không biết gì",
           # round 8 (dev rows)
           "não cá vàng", "đầu đất", "xấu như ma"),
    "th": ("โง่", "ควาย", "หุบปาก", "ปัญญาอ่อน", "เหี้ย", "ไอ้บ้า", "ส้นตีน", "อีดอก", "ไอ้งั่ง", "ตัวตลก",
           "สมองหมา", "ไสหัวไป", "ไอ้เวร", "ไอ้ระยำ", "สมองมีไหม", "น่าสมเพช", "เฮงซวย",
           "ไปให้พ้น", "ไปตายซะ", "ขี้แพ้", "ไอ้บื้อ",
           # round 5 (dev rows); not "ไร้ค่า" alone: "ไร้ค่าธรรมเนียม" is "fee-free"
           "มันไร้ค่า", "คนไร้ค่า",
           # round 6 (dev rows)
           "ไร้ความสามารถ", "พวกไม่รู้เรื่อง",
           # round 8 (dev rows)
           "ไม่มีสมอง", "ยาจก", "หัวทึบ", "อัปลักษณ์", "เลอะเลือน", "ไปไกลๆ"),
    "ur": ("بیوقوف", "بے وقوف", "بےوقوف", "احمق", "گدھا", "گدھے", "گدھی", "الو کا پٹھا", "الو کے پٹھے", "پاگل",
           "جاہل", "کمینہ", "کمینے", "چپ کرو", "چپ کر", "الو", "نکمے", "نکما", "مسخرے", "زبان بند", "کم عقل",
           "بکواس بند", "ذلیل", "قابل رحم",
           "دفع ہو", "دفع ہوجاؤ", "مسخرہ",
           # round 8 (dev rows)
           "ڈفر", "چول", "کنگلے", "بھدی صورت"),
    "ar": ("غبي", "غبية", "حمار", "الحمير", "أحمق", "احمق", "تافه", "كلب", "معتوه", "اسكت", "اخرس", "حقير",
           "جاهل", "أغبياء", "أغبى", "غباء", "فاشلين", "مهرجين", "سكر فمك",
           "انقلع", "اغرب عن وجهي", "يا مهرج", "أهبل", "اهبل",
           # round 6 (dev rows)
           "كذاب", "دلخ",
           # round 8 (dev rows)
           "يا حيوان", "مغفل", "خبل"),
    "bg": ("идиот", "глупак", "глупачк", "тъп", "тъпак", "тъпако", "тъпа", "тъпи", "кретен", "малоумен",
           "млъкни", "тъпанар", "простак", "боклук", "дебил", "нещастник", "некадърни", "клоуни",
           "затваряй си устата",
           "разкарай се", "чупката", "махай се", "изчезвай", "клоун", "малоумн",
           # round 8 (dev rows)
           "олигофрен", "балък"),
}
# Whole word only, no ending or typo: imperatives whose stem begins ordinary verbs ("dégager", "piratear"),
# and "مهرجين" (clowns), one letter from "مهرجان" (festival).
WHOLE_WORD = frozenset({"dégage", "lárgate", "piérdete", "pírate", "enyah", "مهرجين"})
SCRIPT_LANGS = ("th",)
# "..., genius." closing a reply is sarcasm aimed at the reader (English has the same pattern in the toxicity
# check); a word for genius after a comma (or Arabic "يا", Thai "คุณ") at the end of a sentence. Round 8, dev rows.
GENIUS = {"fr": r"(?:bravo\s+)?(?:le\s+|mon\s+)?génie", "es": r"genio", "pt": r"g[êe]nio", "de": r"genie",
          "id": r"jenius", "vi": r"thiên tài", "bg": r"гений", "ar": r"عبقري", "th": r"อัจฉริยะ", "ur": r"جینیئس"}
_GENIUS = {lang: re.compile(r"(?:[,،]\s*|(?<!\w)يا\s+|คุณ)(" + word + r")(?=\s*(?:ạ|nhé|ya)?\s*[.!?…]|\s*$)",
                            re.IGNORECASE) for lang, word in GENIUS.items()}
# "Not a stupid question": care teams say it to reassure. An insult next to the word for question, with a
# negation close by, is left alone (a plain "what a stupid question" is still flagged).
QUESTION = {"fr": ("question",), "es": ("pregunta",), "de": ("frage",), "pt": ("pergunta",),
            "id": ("pertanyaan",), "vi": ("câu hỏi", "cau hoi"), "bg": ("въпрос",),
            "ar": ("سؤال", "أسئلة", "اسئلة"), "ur": ("سوال",), "th": ("คำถาม",)}
NEGATED_QUESTION_WITHIN = 30  # characters either side of the insult in which the negation may stand
# "Une erreur débile de notre part", "kesalahan bodoh dari pihak kami": an insult word right beside a word for
# mistake, in a sentence where the brand says the mistake was its own, judges the mistake, not the reader
# ("erreur débile de votre part" is still flagged). Written for this project from the round-8 dev rows.
MISTAKE = {"fr": ("erreur", "bêtise", "gaffe", "faute"), "es": ("error", "metida de pata", "fallo", "equivocación"),
           "de": ("fehler", "patzer"), "pt": ("erro", "falha", "vacilo"), "id": ("kesalahan", "salah"),
           "vi": ("lỗi", "sai sót", "nhầm"), "th": ("พลาด", "ผิดพลาด"), "ar": ("غلط", "خطأ", "غلطة"),
           "ur": ("غلطی", "خطا"), "bg": ("грешка", "гаф")}
# Short words carry a space on each side, as the negation cues do, so "on a" is not the end of "raison a".
OURS = {"fr": ("notre part", "notre erreur", "notre faute", " on s'est", " nous avons", " on a "),
        "es": ("nuestra parte", "nuestro error", "nuestra culpa", "nos equivocamos", " hemos "),
        "de": ("unserer seite", "unser fehler", " uns ", " wir "), "pt": ("nossa parte", "nosso erro", "nossa culpa"),
        "id": ("pihak kami", " kami "), "vi": ("chúng tôi", "bên mình", "của shop", " shop "),
        "th": ("ของทางร้าน", "ของเรา", "ทางร้าน"), "ar": ("منّا", "منا", "خطأنا", "غلطنا", "عندنا"),
        "ur": ("ہماری", " ہم "), "bg": ("наша страна", "наша грешка", " ние ")}
MISTAKE_GAP = 12  # most characters between the insult and the word for mistake
OURS_WITHIN = 40  # characters either side of the insult in which the brand owns the mistake
QUESTION_GAP = 8  # most characters between the insult and the word for question
# Shortest stem that may take an ending; Arabic-script and Cyrillic stems are shorter than Latin ones.
INFLECT_FROM = {"ar": 3, "ur": 4, "bg": 4}
ARABIC_PREFIXES = ("وال", "بال", "فال", "ال", "ل", "و")  # "لل" folds to "ل"
FUZZY_FROM = 6  # a stem at least this long also matches one typo away
_TOKEN = re.compile(r"[^\W_]+")
_REPEATS = re.compile(r"(.)\1+")
_editor = EditDistance(DistanceAlgorithm.DAMERAU_OSA)


@lru_cache(maxsize=65536)  # every reply folds each of its words, and replies share most of them
def fold(word: str, accents: bool = True) -> str:
    """Lower-case, squeeze repeated letters and (with accents=False) drop accents and đ's bar."""
    word = word.lower()
    if not accents:
        word = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
        word = word.replace("đ", "d")
    return _REPEATS.sub(r"\1", word)


@cache
def _entries(lang: str) -> tuple[tuple[str, ...], ...]:
    """Each entry of a language as a tuple of folded tokens."""
    return tuple(tuple(fold(t) for t in _TOKEN.findall(e)) for e in INSULTS.get(lang, ()))


def _token_matches(token: str, stem: str, lang: str, fuzzy: bool) -> bool:
    """Whether one folded text token is the stem, an inflection of it, or (fuzzy) one typo away."""
    candidates = [token]
    if lang in ("ar", "ur"):
        candidates += [token[len(p):] for p in ARABIC_PREFIXES if token.startswith(p) and len(token) > len(p) + 2]
    for cand in candidates:
        if cand == stem:
            return True
        if len(stem) >= INFLECT_FROM.get(lang, 5) and cand.startswith(stem) and len(cand) - len(stem) <= 3:
            return True
    if not fuzzy or len(stem) < FUZZY_FROM or abs(len(token) - len(stem)) > 1:
        return False
    return _editor.compare(token, stem, 1) == 1


def _common(lang: str) -> frozenset[str]:
    """Common words of a language with a shipped list (typo matching never fires on them)."""
    from moderation.langid import common_words

    return common_words(lang)


def insult_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each insult of `lang` in text, in text order; longer entries win overlaps."""
    return sorted(span for span in _spans(text, lang)
                  if not _negated_question(text, span, lang) and not _our_mistake(text, span, lang))


def _our_mistake(text: str, span: tuple[int, int], lang: str) -> bool:
    """Whether the insult word qualifies a mistake the brand owns ("erreur débile de notre part")."""
    return _qualifies(text, span, MISTAKE.get(lang, ()), MISTAKE_GAP, OURS.get(lang, ()), OURS_WITHIN)


def _negated_question(text: str, span: tuple[int, int], lang: str) -> bool:
    """Whether the insult qualifies a question that a negation says it is not ("no es una pregunta tonta")."""
    negations = CUES[lang]["negation"] if lang in CUES else ()
    return _qualifies(text, span, QUESTION.get(lang, ()), QUESTION_GAP, negations, NEGATED_QUESTION_WITHIN)


def _qualifies(text: str, span: tuple[int, int], nouns: tuple[str, ...], gap: int, cues: tuple[str, ...],
               within: int) -> bool:
    """Whether one of `nouns` stands right beside the insult ("pregunta más tonta", "คำถามโง่"), not a clause
    away, and one of `cues` within `within` characters of it (the window is padded with a space each side)."""
    low, (start, end) = text.lower(), span
    beside = any(n in low[max(0, start - gap - len(n)):start] or n in low[end:end + gap + len(n)] for n in nouns)
    near = f" {low[max(0, start - within):end + within]} "
    return beside and any(c in near for c in cues)


def _spans(text: str, lang: str) -> Iterator[tuple[int, int]]:
    """Insult spans, longest entries first, never overlapping (a closing "..., genius." first)."""
    if lang in _GENIUS:
        yield from (m.span(1) for m in _GENIUS[lang].finditer(text))
    yield from _listed(text, lang)


def _listed(text: str, lang: str) -> Iterator[tuple[int, int]]:
    """Spans of the language's list entries, longest entries first, never overlapping."""
    if lang in SCRIPT_LANGS:
        words = sorted(INSULTS.get(lang, ()), key=len, reverse=True)
        for m in re.finditer("|".join(re.escape(w) for w in words), text):
            yield m.start(), m.end()
        return
    tokens = list(_TOKEN.finditer(text))
    # ASCII has no accents and no đ: most replies skip decomposing every character
    plain = text.isascii() or (not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))
                               and "đ" not in text.lower())
    folded = [fold(t.group(), accents=not plain) for t in tokens]
    common = _common(lang)
    used: set[int] = set()
    for entry in sorted(_entries(lang), key=len, reverse=True):
        stems = [fold(s, accents=False) for s in entry] if plain else list(entry)
        for i in range(len(tokens) - len(stems) + 1):
            window = range(i, i + len(stems))
            if used & set(window):
                continue
            whole = len(entry) == 1 and entry[0] in WHOLE_WORD
            fuzzy = len(stems) == 1 and tokens[i].group().lower() not in common and not whole
            if whole and folded[i] != stems[0]:
                continue
            if all(_token_matches(folded[j], s, lang, fuzzy) for j, s in zip(window, stems, strict=True)):
                used |= set(window)
                yield tokens[i].start(), tokens[i + len(stems) - 1].end()
