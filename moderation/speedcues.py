"""Phrases that say a service was done quickly ("remboursé en 4 jours", "innerhalb von 2 Stunden"), per language.

Brand praise often carries a number and a time unit, and so does a complaint about waiting ("3 jours sans
réseau"). What tells them apart is the preposition: "in / within N units" is how fast something was done.
`moderation.servicecues` counts such a phrase as a fixed problem (unless a negation comes right before it).
Written for this project; "after N units" is left out, because it opens complaints as often as praise.
"""

from __future__ import annotations

import re

_N = r"(?:\d+[.,]?\d*|%s)"
_UNITS = {
    "fr": (r"en|sous|en moins d['e ]", "une?|deux|trois|quatre|cinq|dix|quelques",
           r"min\w*|h\b|heures?|jours?|semaines?|secondes?"),
    "es": (r"en|en menos de", "una?|dos|tres|cuatro|cinco|diez|pocos|pocas",
           r"min\w*|h\b|horas?|d[ií]as?|semanas?|segundos?"),
    "pt": (r"em|em menos de", "uma?|dois|duas|tr[eê]s|quatro|cinco|dez|poucos|poucas",
           r"min\w*|h\b|horas?|dias?|semanas?|segundos?"),
    "de": (r"in|in nur|innerhalb(?: von)?|binnen|in weniger als", "einer?|zwei|drei|vier|f[uü]nf|zehn|wenigen",
           r"min\w*|std\w*|stunden?|tag(?:en)?|wochen?|sekunden"),
    "bg": (r"за|само за", "един|една|два|две|три|пет|десет|няколко",
           r"мин\w*|час\w*|дни|ден|седмиц\w*|секунди"),
    "id": (r"dalam|cuma|hanya|kurang dari", "satu|dua|tiga|lima|sepuluh|beberapa",
           r"menit|jam|hari|minggu|detik"),
    "vi": (r"trong|chỉ|chỉ trong|chưa tới|chưa đến|chưa đầy", "một|hai|ba|năm|mười|vài",
           r"phút|giờ|tiếng|ngày|tuần|giây"),
}
_ADJACENT = {  # scripts without spaces, or with the postposition after the number
    "th": r"(?:ภายใน|ไม่ถึง|แค่)\s*(?:\d+|หนึ่ง|สอง|สาม|ครึ่ง)?\s*(?:นาที|ชั่วโมง|ชม\.?|วัน|สัปดาห์)",
    "ar": r"(?:خلال|في غضون|في ظرف|ب)\s*(?:\d+\s*)?(?:دقيقة|دقائق|دقيقتين|ساعة|ساعتين|ساعات|يوم|يومين|أيام)",
    "ur": r"(?:\d+|ایک|دو|تین|پانچ|دس|چند)\s*(?:منٹ|گھنٹے|گھنٹوں|دن|دنوں|ہفتے)\s*(?:کے اندر|میں)",
}


def _compile(lang: str) -> re.Pattern[str]:
    """One language's pattern, lower-case text in."""
    if lang in _ADJACENT:
        return re.compile(_ADJACENT[lang])
    preps, words, units = _UNITS[lang]
    return re.compile(rf"(?<!\w)(?:{preps})\s*{_N % words}\s*(?:{units})(?!\w)")


SPEED: dict[str, re.Pattern[str]] = {lang: _compile(lang) for lang in (*_UNITS, *_ADJACENT)}


def speed_spans(low: str, lang: str) -> list[int]:
    """Start offsets of the "done in N units" phrases in lower-cased text."""
    pattern = SPEED.get(lang)
    return [m.start() for m in pattern.finditer(low)] if pattern else []
