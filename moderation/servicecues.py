"""Per-language service-failure, praise, fixed-problem and negation cues for the multilingual sentiment stacker.

Written for this project from general customer-care vocabulary (charges, refunds, waiting, cancelling, apps
that crash, data exposed, churn), the multilingual analogue of `moderation.stacker.SERVICE_FAILURE`: brand
complaints are often told flatly or sarcastically ("great, charged twice"), which sentence vectors trained on
tweets and subtitles read as neutral or praise. Cues are lower-case substrings (Thai has no spaces); the text
is lower-cased and padded with spaces, so a cue may carry a leading or trailing space to stand for a word edge.
"""

from __future__ import annotations

import numpy as np

FEATURES: tuple[str, ...] = (
    "logp_negative", "logp_neutral", "logp_positive", "failure", "praise", "fixed", "negation",
    "question", "exclamation", "praise_with_failure", "negated_praise", "fixed_with_failure",
)
Cues = dict[str, tuple[str, ...]]


def _split(text: str) -> tuple[str, ...]:
    """Cues written one per `|` (spaces inside a cue are kept)."""
    return tuple(c for c in text.split("|") if c)


CUES: dict[str, Cues] = {
    "fr": {
        "failure": _split("rembours|prélev|débit|factur|attend|attente|annul|retard|en panne|ne marche|"
                          "ne fonctionne|marche pas|fonctionne pas|bug|plant|bloqué|perdu|toujours pas|"
                          "aucune réponse|pas de réponse|personne ne|encore une fois|erreur|résili|désinstall|"
                          "arnaque|escro|voleur|mes données|mon numéro|mon adresse|piraté|fuite| jours|"
                          " heures|semaines|deux fois|ailleurs|concurren|accès à mon"),
        "praise": _split("merci|génial|super|bravo|parfait| top|excellent|j'adore|chapeau|magnifique|"
                         "impeccable|ravi|formidable|incroyable|au top"),
        "fixed": _split("réglé|résolu|corrigé|minutes|rapide|dans l'heure|en une heure|à nouveau|"
                        "marche parfaitement|plus de problème|tout est rentré"),
        "negation": _split(" pas |jamais|aucun|rien | personne|n'| ne "),
    },
    "de": {
        "failure": _split("erstatt|abgebucht|abbuchung|belastet|rechnung|warte|gewartet|storn|verspät|"
                          "funktioniert nicht|geht nicht|kaputt|abgestürzt|stürzt|absturz|fehler|gesperrt|"
                          "verloren|immer noch|keine antwort|niemand|schon wieder|kündig|deinstall|abzock|"
                          "betrug|betrüger|meine daten|meine nummer|meine adresse|gehackt| tage|stunden|"
                          "wochen|zweimal|woanders|konkurrenz|zugriff"),
        "praise": _split("danke|toll|super|klasse|perfekt| top|prima|großartig|genial|ich liebe|bravo|"
                         "hervorragend|spitze|weiter so|wunderbar"),
        "fixed": _split("behoben|gelöst|repariert|schnell|minuten|innerhalb|einwandfrei|läuft wieder|"
                        "funktioniert wieder|geht wieder|jetzt läuft"),
        "negation": _split("nicht|kein| nie |niemand|nichts"),
    },
    "es": {
        "failure": _split("reembols|cobr|cargo|factura|esper|cancel|retras|no funciona| no va|no sirve|"
                          "se cierra|se cuelga|caíd|error|bloque|perd|todavía|sigo sin|sin respuesta|nadie|"
                          "otra vez|de baja|desinstal|me voy|ladr|estafa|timo|mis datos|mi número|"
                          "mi dirección|hacke| días|horas|semanas|dos veces|competencia|acceso a mi"),
        "praise": _split("gracias|genial|excelente|perfect|me encanta|maravill|increíble|enhorabuena|bravo|"
                         "de lujo|estupend|encantad|buenísim| top"),
        "fixed": _split("arregl|solucion|resuelto|devolvi|minutos|rápid|al instante|ya funciona|ya va|"
                        "vuelve a funcionar|en una hora"),
        "negation": _split(" no |nunca|nadie|nada|ningún|ninguna| sin "),
    },
    "pt": {
        "failure": _split("reembols|estorno|cobr|fatura|esper|cancel|atras|não funciona|nao funciona|"
                          "não abre|fecha sozinho|trav|caiu|erro|bloque|perd|ainda|nada de resposta|"
                          "sem resposta|ninguém|de novo|outra vez|desinstal|ladr|golpe|roub|meus dados|"
                          "meu número|meu endereço|hacke| dias|horas|semanas|duas vezes|em dobro|"
                          "concorrente|acesso à minha"),
        "praise": _split("obrigad|valeu|maravilh|ótim|perfeit|excelente|adoro|amei| amo |parabéns|demais|"
                         "incrível| top|show"),
        "fixed": _split("resolv|corrig|arrum|devolv|minutos|rápid|na hora|já funciona|voltou a funcionar|"
                        "funcionando|em uma hora"),
        "negation": _split("não|nao |nunca|ninguém|nada|nenhum| sem "),
    },
    "id": {
        "failure": _split("refund|dana|tagih|potong|saldo|tunggu|batal|telat|terlambat|delay|tidak bisa|"
                          "nggak bisa|gak bisa|ga bisa|error|eror|crash|keluar sendiri|rusak|gangguan|"
                          "diblokir|hilang|masih|belum|tidak ada jawaban|nggak ada jawaban|tidak dibalas|"
                          "gak dibales|lagi-lagi|berhenti langganan|uninstall|pindah|penipu|tipu|data saya|"
                          "nomor saya|alamat saya|dibobol| hari| jam|minggu|dua kali|akses akun"),
        "praise": _split("terima kasih|makasih|mantap|keren|bagus|hebat|puas|suka|senang|luar biasa| top|"
                         " sip|recommended"),
        "fixed": _split("diperbaiki|beres|sudah normal|lancar|cepat|langsung|menit|sudah bisa|teratasi|"
                        "selesai"),
        "negation": _split("tidak|nggak| gak | ga |enggak|belum|bukan| tak |tanpa"),
    },
    "vi": {
        "failure": _split("hoàn tiền|trừ tiền|bị trừ|phí|chờ|đợi|hủy|huỷ|trễ|chậm|không được|lỗi|bị thoát|"
                          "treo|sập|khóa|khoá|mất|vẫn|chưa|không ai|không trả lời|lại bị|ngừng dùng|gỡ|"
                          "chuyển sang|lừa đảo|thông tin của tôi|số điện thoại|địa chỉ của tôi|bị hack|"
                          " ngày|tiếng|tuần|hai lần|quyền vào"),
        "praise": _split("cảm ơn|cám ơn|tuyệt|tốt|thích|đỉnh|xuất sắc|hài lòng|yêu|vui|ổn"),
        "fixed": _split("đã sửa|sửa xong|khắc phục|giải quyết|hoàn lại|phút|nhanh|ngay|mượt|bình thường lại"),
        "negation": _split("không|chẳng|chưa|chả"),
    },
    "bg": {
        "failure": _split("възстанов|удърж|таксува|сметк|чакам|чакане|чака |отмен|закъсн|не работи|"
                          "не става|не мога|грешк|срив|забива|затваря|блокир|изгуб|загуб|още не|все още|"
                          "никакъв отговор|няма отговор|никой|пак|отново|спирам|прекратявам|откажа|мошени|"
                          "измам|крад|моите данни|номера ми|адреса ми|хакн| дни|часа|седмици|два пъти|"
                          "двойно|другаде|достъп"),
        "praise": _split("благодар|страхот|супер|отлич|перфект|браво|обожавам|чудес|прекрас|доволен|"
                         "доволна|много добр| топ|любим"),
        "fixed": _split("оправи|реши|поправи|върнаха|минути|бързо|веднага|безупречно|вече работи|в рамките"),
        "negation": _split(" не |няма|никога|никой|нищо| без "),
    },
    "ar": {
        "failure": _split("استرداد|استرجاع|خصم|فاتورة|رسوم|انتظار|انتظر|أنتظر|إلغاء|الغاء|تأخير|تأخر|متأخر|"
                          "لا يعمل|ما يشتغل|لا يشتغل|عطل|خطأ|يغلق|توقف|معلق|محظور|ضاع|فقد|حتى الآن|لم يرد|"
                          "لا أحد|ولا رد|مرة أخرى|مجددا|سألغي|حذفت التطبيق|نصاب|نصب|احتيال|حرامي|لصوص|"
                          "بياناتي|رقمي|عنواني|اختراق|أيام|ساعات|أسابيع|مرتين|صلاحية"),
        "praise": _split("شكرا|شكرًا|رائع|ممتاز|جميل|أحب|احب|مذهل|أحسنتم|سعيد|ممتن|روعة|تحفة"),
        "fixed": _split("تم إصلاح|تم حل|أصلح|حل المشكلة|أعاد|دقائق|بسرعة|فورا|فورًا|بسلاسة|يعمل الآن|خلال"),
        "negation": _split(" لا | لم | لن | ما |ليس| مش |بدون"),
    },
    "ur": {
        "failure": _split("ریفنڈ|رقم واپس|پیسے واپس|کاٹ|کٹ|انتظار|منسوخ|کینسل|تاخیر|لیٹ|کام نہیں|نہیں چل|"
                          "خراب|ایرر|بند ہو|رک جات|بلاک|گم ہو|ابھی تک|جواب نہیں|کوئی نہیں|پھر سے|دوبارہ|"
                          "ختم کر|چھوڑ|ان انسٹال|دھوک|فراڈ|چور|میرا نمبر|میرا ای میل|میرا پتہ|میری معلومات|"
                          "ہیک| دن|گھنٹ|ہفت|دو بار|رسائی"),
        "praise": _split("شکریہ|زبردست|بہترین|شاندار|بہت اچھ|کمال|شاباش|خوش|مزہ|پسند|لاجواب|واہ|اچھا"),
        "fixed": _split("ٹھیک ہو|حل ہو|حل کر|واپس کر دی|منٹ|جلدی|فوراً|فورا|اب چل|ٹھیک کر"),
        "negation": _split("نہیں| نہ |بغیر| مت "),
    },
    "th": {
        "failure": _split("คืนเงิน|ตัดเงิน|หักเงิน|เก็บเงิน|ค่าธรรมเนียม|รอนาน|รอมา|รอสาย|รอไป|ยกเลิก|ล่าช้า|"
                          "ช้า|ดีเลย์|ใช้ไม่ได้|ไม่ได้|เข้าไม่ได้|ค้าง|เด้ง|ล่ม|error|ถูกล็อก|หาย|ยังไม่|"
                          "ไม่มีใคร|ไม่ตอบ|อีกแล้ว|เลิกใช้|ลบแอป|ย้ายไป|โกง|หลอก|ข้อมูลของฉัน|เบอร์|ที่อยู่|"
                          "แฮก|วันแล้ว|ชั่วโมง|สัปดาห์|สองรอบ|สองครั้ง|ซ้ำ"),
        "praise": _split("ขอบคุณ|เยี่ยม|ดีมาก|ชอบ|ประทับใจ|สุดยอด|ปัง|เริ่ด|ถูกใจ|ดีใจ|คุ้ม|เจ๋ง"),
        "fixed": _split("แก้แล้ว|แก้ไขแล้ว|นาที|รวดเร็ว|ทันที|ลื่น|ใช้ได้แล้ว|ปกติแล้ว|เรียบร้อย"),
        "negation": _split("ไม่|ไม่เคย"),
    },
}


def _count(text: str, cues: tuple[str, ...]) -> int:
    """How many cues occur in the (lower-cased, padded) text."""
    return sum(1 for c in cues if c in text)


def cue_row(text: str, lang: str) -> list[float]:
    """Failure, praise, fixed, negation, '?', '!' and the three interactions for one text (zeros: no cues)."""
    cues = CUES.get(lang)
    if cues is None:
        return [0.0] * (len(FEATURES) - 3)
    low = f" {text.lower()} "
    failure = min(_count(low, cues["failure"]), 3) / 3.0
    praise = float(_count(low, cues["praise"]) > 0)
    fixed = float(_count(low, cues["fixed"]) > 0)
    negation = float(_count(low, cues["negation"]) > 0)
    question = float("?" in text or "؟" in text)
    exclamation = min(text.count("!"), 3) / 3.0
    # praise next to a failure reads as sarcasm, unless the post says the problem was fixed
    return [failure, praise, fixed, negation, question, exclamation,
            failure * praise * (1.0 - fixed), praise * negation, failure * fixed]


def features(probs: np.ndarray, texts: list[str], languages: list[str]) -> np.ndarray:
    """The stacker's input matrix (head log-probabilities, then cue columns), in FEATURES order."""
    logp = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-6, 1.0))
    cues = np.asarray([cue_row(t, lang) for t, lang in zip(texts, languages, strict=True)], dtype=np.float64)
    return np.hstack([logp, cues.reshape(len(texts), len(FEATURES) - 3)])
