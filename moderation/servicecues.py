"""Per-language service-failure, praise, fixed-problem and negation cues for the multilingual sentiment stacker.

Written for this project from general customer-care vocabulary (charges, refunds, waiting, cancelling, apps
that crash, data exposed, churn), the multilingual analogue of `moderation.stacker.SERVICE_FAILURE`: brand
complaints are often told flatly or sarcastically ("great, charged twice"), which sentence vectors trained on
tweets and subtitles read as neutral or praise. Cues are lower-case substrings (Thai has no spaces); the text
is lower-cased and padded with spaces, so a cue may carry a leading or trailing space to stand for a word edge.
"""

from __future__ import annotations

import re

import numpy as np

from moderation.complaintcues import CHURN_MORE, FAILURE_MORE
from moderation.ironycues import ACCOUNT, EXTRA, IRONY
from moderation.praisecues import ADVERSATIVE, NO_PROBLEM_MORE, PRAISE_MORE
from moderation.speedcues import speed_spans

FEATURES: tuple[str, ...] = (
    "logp_negative", "logp_neutral", "logp_positive", "failure", "privacy", "churn", "praise", "fixed", "negation",
    "question", "exclamation", "irony_emoji", "praise_with_failure", "negated_praise", "fixed_with_failure",
    "privacy_question", "irony_cue", "praise_with_irony", "shouting",
)
# faces people add to mean the opposite of what they wrote, in any language
IRONY_EMOJI = ("🙃", "🙄", "😒", "🤡", "😑")
Cues = dict[str, tuple[str, ...]]
# two or more words in capitals in a row ("J'EN AI RAS LE BOL", "ICH BIN SO SAUER"): shouting, which the
# exclamation count alone reads as enthusiasm; acronyms ("SMS PIN") are too short to count
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
SHOUT_LETTERS = 7


def _split(text: str) -> tuple[str, ...]:
    """Cues written one per `|` (spaces inside a cue are kept)."""
    return tuple(c for c in text.split("|") if c)


CUES: dict[str, Cues] = {
    "fr": {
        "failure": _split("guignol|honte|minable|lamentable|incompétent| nul|"
                          "rembours|prélev|débit|factur|attend|attente|annul|retard|en panne|ne marche|"
                          "ne fonctionne|marche pas|fonctionne pas|bug|plant|bloqué|perdu|toujours pas|"
                          "aucune réponse|pas de réponse|personne ne|encore une fois|erreur|arnaque|escro|voleur|"
                          " jours| heures|semaines|deux fois"),
        "privacy": _split("mes données|mon numéro|mon adresse|mes coordonnées|piraté|fuite|accès à mon|mon mail|"
                          "ma carte"),
        "churn": _split("résili|désinstall|ailleurs|concurren|je pars|plus jamais|je retourne"),
        "praise": _split("merci|génial|super|bravo|parfait| top|excellent|j'adore|chapeau|magnifique|"
                         "impeccable|ravi|formidable|incroyable|au top"),
        "fixed": _split("m'a remboursé|m'ont remboursé|remboursé en|remboursée en|en une heure|"
                        "réglé|résolu|corrigé|rapidement|dans l'heure|à nouveau|marche parfaitement|"
                          "plus de problème|tout est rentré"),
        "negation": _split(" pas |jamais|aucun|rien | personne|n'| ne "),
    },
    "de": {
        "failure": _split("unverschämt|frechheit|lächerlich|inkompetent|saftladen|witz|"
                          "erstatt|abgebucht|abbuchung|belastet|rechnung|warte|gewartet|storn|verspät|"
                          "funktioniert nicht|geht nicht|kaputt|abgestürzt|stürzt|absturz|fehler|gesperrt|verloren|"
                          "immer noch|keine antwort|niemand|schon wieder|abzock|betrug|betrüger| tage|stunden|"
                          "wochen|zweimal"),
        "privacy": _split("meine daten|meine nummer|meine adresse|meine handynummer|gehackt|zugriff|datenleck|"
                          "meine e-mail"),
        "churn": _split("kündig|deinstall|woanders|konkurrenz|wechsle|nie wieder"),
        "praise": _split("danke|toll|super|klasse|perfekt| top|prima|großartig|genial|ich liebe|bravo|"
                         "hervorragend|spitze|weiter so|wunderbar"),
        "fixed": _split("erstattet|zurückbekommen|zurücküberwiesen|in einer stunde|"
                        "behoben|gelöst|repariert|schnell|innerhalb|einwandfrei|läuft wieder|funktioniert wieder|"
                          "geht wieder|geklärt"),
        "negation": _split("nicht|kein| nie |niemand|nichts"),
    },
    "es": {
        "failure": _split("vergüenza|incompetente|payaso|cutre|pésim|"
                          "reembols|cobr|cargo|factura|esper|cancel|retras|no funciona| no va|no sirve|se cierra|"
                          "se cuelga|caíd|error|bloque|perd|todavía|sigo sin|sin respuesta|nadie|otra vez|ladr|"
                          "estafa|timo| días|horas|semanas|dos veces"),
        "privacy": _split("mis datos|mi número|mi dirección|mi correo|hacke|acceso a mi|filtra"),
        "churn": _split("de baja|desinstal|me voy|competencia|me paso|nunca más|vuelvo a"),
        "praise": _split("gracias|genial|excelente|perfect|me encanta|maravill|increíble|enhorabuena|bravo|"
                         "de lujo|estupend|encantad|buenísim| top"),
        "fixed": _split("me devolvi|devolvieron|en una hora|reembolsaron|"
                        "arregl|solucion|resuelto|rápid|al instante|ya funciona|ya va|vuelve a funcionar"),
        "negation": _split(" no |nunca|nadie|nada|ningún|ninguna| sin "),
    },
    "pt": {
        "failure": _split("palhaçada|vergonha|lixo|incompetente|piada|péssim|"
                          "reembols|estorno|cobr|fatura|esper|cancel|atras|não funciona|nao funciona|não abre|"
                          "fecha sozinho|trav|caiu|erro|bloque|perd|ainda|nada de resposta|sem resposta|ninguém|"
                          "de novo|outra vez|ladr|golpe|roub| dias|horas|semanas|duas vezes|em dobro|concorrente"),
        "privacy": _split("meus dados|meu número|meu endereço|meu e-mail|hacke|acesso à minha|vaza"),
        "churn": _split("desinstal|vou cancelar|concorr|nunca mais|vou pra|voltei pro|volto pro"),
        "praise": _split("obrigad|valeu|maravilh|ótim|perfeit|excelente|adoro|amei| amo |parabéns|demais|"
                         "incrível| top|show"),
        "fixed": _split("devolveu|devolveram|estornaram|em uma hora|em 1 hora|"
                        "resolv|corrig|arrum|rápid|na hora|já funciona|voltou a funcionar"),
        "negation": _split("não|nao |nunca|ninguém|nada|nenhum| sem "),
    },
    "id": {
        "failure": _split("abal-abal|payah|parah|kecewa|buruk|jelek|"
                          "refund|dana|tagih|potong|saldo|tunggu|batal|telat|terlambat|delay|tidak bisa|nggak bisa|"
                          "gak bisa|ga bisa|error|eror|crash|keluar sendiri|rusak|gangguan|diblokir|hilang|masih|"
                          "belum|tidak ada jawaban|nggak ada jawaban|tidak dibalas|gak dibales|lagi-lagi|penipu|"
                          "tipu| hari| jam|minggu|dua kali"),
        "privacy": _split("data saya|nomor saya|nomorku|alamat saya|alamatku|email saya|dibobol|akses akun|bocor"),
        "churn": _split("berhenti langganan|uninstall|hapus aplikasi|pindah|kapok|balik ke"),
        "praise": _split("terima kasih|makasih|mantap|keren|bagus|hebat|puas|suka|senang|luar biasa| top|"
                         " sip|recommended"),
        "fixed": _split("dikembalikan|balikin|refund masuk|dalam sejam|dalam satu jam|"
                        "diperbaiki|beres|sudah normal|lancar|cepat|sudah bisa|teratasi"),
        "negation": _split("tidak|nggak| gak | ga |enggak|belum|bukan| tak |tanpa"),
    },
    "vi": {
        "failure": _split(" tệ|kém|thất vọng|bực|"
                          "hoàn tiền|trừ tiền|bị trừ|phí|chờ|đợi|hủy|huỷ|trễ|chậm|không được|lỗi|bị thoát|treo|sập|"
                          "khóa|khoá|mất|vẫn|chưa|không ai|không trả lời|lại bị|lừa đảo| ngày|tiếng|tuần|hai lần"),
        "privacy": _split("thông tin của tôi|số điện thoại|số của tôi|địa chỉ của tôi|email của tôi|bị hack|"
                          "quyền vào|lộ"),
        "churn": _split("ngừng dùng|gỡ|chuyển sang|hủy luôn|không bao giờ dùng|quay lại"),
        "praise": _split("cảm ơn|cám ơn|tuyệt|tốt|thích|đỉnh|xuất sắc|hài lòng|yêu|vui|ổn"),
        "fixed": _split("hoàn lại|đã hoàn|trong một giờ|trong một tiếng|"
                        "đã sửa|sửa xong|khắc phục|giải quyết|nhanh|mượt|bình thường lại"),
        "negation": _split("không|chẳng|chưa|chả"),
    },
    "bg": {
        "failure": _split("срам|позор|некадърн|ужас|смешн|"
                          "възстанов|удърж|таксува|сметк|чакам|чакане|чака |отмен|закъсн|не работи|не става|"
                          "не мога|грешк|срив|забива|затваря|блокир|изгуб|загуб|още не|все още|никакъв отговор|"
                          "няма отговор|никой|пак|отново|мошени|измам|крад| дни|часа|седмици|два пъти|двойно"),
        "privacy": _split("моите данни|номера ми|адреса ми|имейла ми|хакн|достъп|изтек"),
        "churn": _split("спирам|прекратявам|откажа|деинстал|другаде|конкуренц|никога повече|връщам се"),
        "praise": _split("благодар|страхот|супер|отлич|перфект|браво|обожавам|чудес|прекрас|доволен|"
                         "доволна|много добр| топ|любим"),
        "fixed": _split("върна |върнаха|за час|"
                        "оправи|реши|поправи|бързо|веднага|безупречно|вече работи|в рамките"),
        "negation": _split(" не |няма|никога|никой|нищо| без "),
    },
    "ar": {
        "failure": _split("مهزلة|فاشل|سيئ|زفت|مخزي|"
                          "استرداد|استرجاع|خصم|فاتورة|رسوم|انتظار|انتظر|أنتظر|إلغاء|الغاء|تأخير|تأخر|متأخر|لا يعمل|"
                          "ما يشتغل|لا يشتغل|عطل|خطأ|يغلق|توقف|معلق|محظور|ضاع|فقد|حتى الآن|لم يرد|لا أحد|ولا رد|"
                          "مرة أخرى|مجددا|نصاب|نصب|احتيال|حرامي|لصوص|أيام|ساعات|أسابيع|مرتين"),
        "privacy": _split("بياناتي|رقمي|عنواني|بريدي|اختراق|صلاحية|تسريب"),
        "churn": _split("سألغي|حذفت التطبيق|المنافس|لن أتعامل|سأنتقل|أرجع"),
        "praise": _split("شكرا|شكرًا|رائع|ممتاز|جميل|أحب|احب|مذهل|أحسنتم|سعيد|ممتن|روعة|تحفة"),
        "fixed": _split("أعاد|أعادوا|استرجعت|خلال ساعة|"
                        "تم إصلاح|تم حل|أصلح|حل المشكلة|بسرعة|فورا|فورًا|بسلاسة|يعمل الآن"),
        "negation": _split(" لا | لم | لن | ما |ليس| مش |بدون"),
    },
    "ur": {
        "failure": _split("مذاق|شرم|بکواس|نکمے|گھٹیا|"
                          "ریفنڈ|رقم واپس|پیسے واپس|کاٹ|کٹ|انتظار|منسوخ|کینسل|تاخیر|لیٹ|کام نہیں|نہیں چل|خراب|ایرر|"
                          "بند ہو|رک جات|بلاک|گم ہو|ابھی تک|جواب نہیں|کوئی نہیں|پھر سے|دوبارہ|دھوک|فراڈ|چور| دن|"
                          "گھنٹ|ہفت|دو بار"),
        "privacy": _split("میرا نمبر|میرا ای میل|میرا پتہ|میری معلومات|ہیک|رسائی|لیک"),
        "churn": _split("ختم کر|چھوڑ|ان انسٹال|دوسری کمپنی|کبھی نہیں لوں"),
        "praise": _split("شکریہ|زبردست|بہترین|شاندار|بہت اچھ|کمال|شاباش|خوش|مزہ|پسند|لاجواب|واہ|اچھا"),
        "fixed": _split("واپس کر دی|واپس کر دیا|واپس آ گئے|ایک گھنٹے میں|"
                        "ٹھیک ہو|حل ہو|حل کر|جلدی|فوراً|فورا|اب چل|ٹھیک کر"),
        "negation": _split("نہیں| نہ |بغیر| مت "),
    },
    "th": {
        "failure": _split("ห่วย|แย่|ผิดหวัง|ขยะ|เฮงซวย|"
                          "คืนเงิน|ตัดเงิน|หักเงิน|เก็บเงิน|ค่าธรรมเนียม|รอนาน|รอมา|รอสาย|รอไป|ยกเลิก|ล่าช้า|ช้า|"
                          "ดีเลย์|ใช้ไม่ได้|ไม่ได้|เข้าไม่ได้|ค้าง|เด้ง|ล่ม|error|ถูกล็อก|หาย|ยังไม่|ไม่มีใคร|"
                          "ไม่ตอบ|อีกแล้ว|โกง|หลอก|วันแล้ว|ชั่วโมง|สัปดาห์|สองรอบ|สองครั้ง|ซ้ำ"),
        "privacy": _split("ข้อมูลของฉัน|เบอร์|ที่อยู่|อีเมลของฉัน|แฮก|เข้าบัญชี|รั่วไหล"),
        "churn": _split("เลิกใช้|ลบแอป|ย้ายไป|เจ้าอื่น|ยกเลิกเลย|ไม่ใช้อีก|กลับไป"),
        "praise": _split("ขอบคุณ|เยี่ยม|ดีมาก|ชอบ|ประทับใจ|สุดยอด|ปัง|เริ่ด|ถูกใจ|ดีใจ|คุ้ม|เจ๋ง"),
        "fixed": _split("คืนเงินให้|ได้เงินคืน|ภายในชั่วโมง|"
                        "แก้แล้ว|แก้ไขแล้ว|แก้ให้|รวดเร็ว|ทันที|ลื่น|ใช้ได้แล้ว|ปกติแล้ว|เรียบร้อย"),
        "negation": _split("ไม่|ไม่เคย"),
    },
}


# "No problem at all" is praise, whatever the negation in it ("três anos e nunca tive problema"): it counts as a
# fixed problem (round 7).
NO_PROBLEM: dict[str, tuple[str, ...]] = {
    "fr": _split("aucun souci|aucun problème|jamais un souci|jamais eu de souci|jamais eu de problème|"
                 "jamais de souci|jamais de problème|sans souci|sans problème|rien à redire"),
    "de": _split("keine probleme|kein problem|nie probleme|nie ein problem|ohne probleme|problemlos|"
                 "ohne rückfragen|nichts zu meckern|reibungslos"),
    "es": _split("sin problemas|ningún problema|nunca un problema|nunca he tenido problema|nunca tuve problema|"
                 "sin ningún problema|nada que reclamar"),
    "pt": _split("sem problemas|nenhum problema|nunca um problema|nunca tive problema|nunca deu problema|"
                 "sem nenhum problema|nada a reclamar"),
    "id": _split("tidak ada masalah|gak ada masalah|nggak ada masalah|ga ada masalah|tanpa masalah|"
                 "belum pernah ada masalah|tidak pernah ada masalah"),
    "vi": _split("không có vấn đề gì|không gặp vấn đề|chưa từng gặp vấn đề|chưa bao giờ gặp vấn đề|"
                 "không có lỗi gì|suôn sẻ"),
    "bg": _split("без проблеми|никакви проблеми|нямам проблеми|нито един проблем|без никакви проблеми"),
    "ar": _split("بدون أي مشكلة|بدون مشاكل|ما في مشكلة|ولا مشكلة|لم تحدث أي مشكلة|لم يحدث أي مشكلة|"
                 "لا توجد أي مشكلة|ما صار أي مشكلة"),
    "ur": _split("کوئی مسئلہ نہیں|کبھی کوئی مسئلہ نہیں|بغیر کسی مسئلے|کوئی شکایت نہیں"),
    "th": _split("ไม่มีปัญหา|ไม่เคยมีปัญหา|ราบรื่น"),
}

for _lang, _extra in EXTRA.items():  # round-4 additions, kept in their own module
    for _key, _cues in _extra.items():
        CUES[_lang][_key] = CUES[_lang][_key] + _cues
    # round 9: praise told through a negation, strong approval, flat complaints and churn, by two linguists
    CUES[_lang]["fixed"] = CUES[_lang]["fixed"] + NO_PROBLEM[_lang] + NO_PROBLEM_MORE.get(_lang, ())
    CUES[_lang]["praise"] = CUES[_lang]["praise"] + PRAISE_MORE.get(_lang, ())
    CUES[_lang]["failure"] = CUES[_lang]["failure"] + FAILURE_MORE.get(_lang, ())
    CUES[_lang]["churn"] = CUES[_lang]["churn"] + CHURN_MORE.get(_lang, ())
    CUES[_lang]["irony"] = IRONY[_lang]
    CUES[_lang]["account"] = ACCOUNT[_lang]


def _count(text: str, cues: tuple[str, ...]) -> int:
    """How many cues occur in the (lower-cased, padded) text."""
    return sum(1 for c in cues if c in text)


NEGATED_WITHIN = 12  # characters before a fixed-problem cue in which a negation cancels it


def _negated(low: str, start: int, within: int, negations: tuple[str, ...]) -> bool:
    """Whether a negation stands in the `within` characters before `start`."""
    return any(n in low[max(0, start - within):start] for n in negations)


def _fixed(low: str, cues: Cues, lang: str) -> float:
    """Whether a fixed-problem cue or a "done in N units" phrase occurs outside an ironic phrase and not right
    after a negation ("não resolve", "không chịu hoàn lại": the fix did not happen)."""
    for c in cues.get("irony", ()):
        low = low.replace(c, " " * len(c))  # "bem na hora que ..." is sarcasm, not "fixed na hora"
    for c in cues["fixed"]:
        start = low.find(c)
        while start >= 0:
            if not _negated(low, start, NEGATED_WITHIN, cues["negation"]):
                return 1.0
            start = low.find(c, start + 1)
    if _turned(low, cues, lang):
        return 1.0
    for start in speed_spans(low, lang):
        clause = max(low.rfind(p, 0, start) for p in ".,;!?")  # -1 when the clause opens the text
        # a speed is cancelled by a negation anywhere earlier in its clause ("não resolveram em 3 dias")
        if not _negated(low, start, start - clause, cues["negation"]):
            return 1.0
    return 0.0


def _turned(low: str, cues: Cues, lang: str) -> bool:
    """Whether a failure comes before an adversative ("but", "pero", "แต่") and praise after it (round 9)."""
    for word in ADVERSATIVE.get(lang, ()):
        at = low.find(word)
        if at > 0 and any(c in low[:at] for c in cues["failure"]) and any(c in low[at:] for c in cues["praise"]):
            return True
    return False


def shouting(text: str) -> float:
    """1.0 when two or more capitalised words in a row (spaces between) hold SHOUT_LETTERS letters or more."""
    words, letters, end = 0, 0, -1
    for m in _WORD.finditer(text):
        if len(m.group()) < 2 or not m.group().isupper():
            words, letters = 0, 0
            continue
        if words and text[end:m.start()].strip():  # punctuation between: a new run
            words, letters = 0, 0
        words, letters, end = words + 1, letters + sum(ch.isupper() for ch in m.group()), m.end()
        if words >= 2 and letters >= SHOUT_LETTERS:
            return 1.0
    return 0.0


def cue_row(text: str, lang: str) -> list[float]:
    """Cue columns of FEATURES (after the three log-probabilities) for one text; zeros for a language without cues."""
    cues = CUES.get(lang)
    if cues is None:
        return [0.0] * (len(FEATURES) - 3)
    low = f" {text.lower()} "
    failure = min(_count(low, cues["failure"]), 3) / 3.0
    privacy = float(_count(low, cues["privacy"]) > 0)
    churn = float(_count(low, cues["churn"]) > 0)
    praise = float(_count(low, cues["praise"]) > 0)
    fixed = _fixed(low, cues, lang)
    negation = float(_count(low, cues["negation"]) > 0)
    question = float("?" in text or "؟" in text)
    if question and _count(low, cues.get("account", ())):  # "how do I change my number?" exposes nothing
        privacy = 0.0
    exclamation = min(text.count("!"), 3) / 3.0
    irony = float(any(e in text for e in IRONY_EMOJI))
    irony_cue = float(_count(low, cues.get("irony", ())) > 0)
    # praise next to a failure reads as sarcasm, unless the post says the problem was fixed
    # and a question about one's own data ("how does he have my number?") is an exposure, not a question;
    # praise next to an ironic situation or face ("record: ninety minutes", "thanks 🙃") is sarcasm too
    return [failure, privacy, churn, praise, fixed, negation, question, exclamation, irony,
            max(failure, churn) * praise * (1.0 - fixed), praise * negation, failure * fixed, privacy * question,
            irony_cue, praise * max(irony, irony_cue) * (1.0 - fixed), shouting(text)]


def features(probs: np.ndarray, texts: list[str], languages: list[str]) -> np.ndarray:
    """The stacker's input matrix (head log-probabilities, then cue columns), in FEATURES order."""
    logp = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-6, 1.0))
    cues = np.asarray([cue_row(t, lang) for t, lang in zip(texts, languages, strict=True)], dtype=np.float64)
    return np.hstack([logp, cues.reshape(len(texts), len(FEATURES) - 3)])
