"""Round-4 cues for the multilingual sentiment stacker: sarcasm told without a failure word, and more ways to
say privacy exposure, churn, dissatisfaction and a fixed problem.

Written for this project from general customer-care phrasing, never from a test set's misses. `IRONY` holds
what turns praise into sarcasm when no failure word is there: ironic thanks ("merci pour rien"), "record",
"exactly when", "perfect timing", "as always", "geniuses", paying verbs ("I love paying ...") and long
durations ("an hour and a half"). `EXTRA` is added to `moderation.servicecues.CUES` list by list.
Same matching as there: lower-case substrings of the space-padded text.
"""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    """Cues written one per `|` (spaces inside a cue are kept)."""
    return tuple(c for c in text.split("|") if c)


IRONY: dict[str, tuple[str, ...]] = {
    "fr": _split("à chaque fois|juste avant|pile avant|merci pour rien|record|pile au|pile quand|pile à|"
                 "juste au moment|juste quand|timing parfait|quel timing|j'adore payer|plaisir de payer|"
                 "j'adore attendre|comme d'habitude|comme toujours|génies|quel plaisir|quelle efficacité|"
                 "on ne s'en lasse|heure et demie|1h30|deux heures|trois heures|six heures|ravi de payer|"
                 "heureux de payer|à chaque"),
    "es": _split("cada vez|justo antes|gracias por nada|récord|justo cuando|justo en el momento|timing perfecto|"
                 "qué timing|me encanta pagar|gusto pagar|me encanta esperar|como siempre|como de costumbre|genios|"
                 "qué eficiencia|hora y media|dos horas|tres horas|seis horas|encanta pagar"),
    "pt": _split("toda vez|logo antes|obrigado por nada|obrigada por nada|valeu por nada|recorde|bem na hora que|"
                 "bem na hora em que|justo quando|timing perfeito|amo pagar|adoro pagar|prazer pagar|adoro esperar|"
                 "como sempre|gênios|que eficiência|hora e meia|duas horas|três horas|seis horas|prazer de pagar|"
                 "bem na hora da|bem na hora do"),
    "de": _split("jedes mal|kurz vor dem|danke für nichts|rekord|genau als|genau in dem moment|genau dann|genau zum|"
                 "perfektes timing|welch eine freude|wie immer|genies|was für eine effizienz|anderthalb stunden|"
                 "zwei stunden|drei stunden|sechs stunden|na toll|zahle gern|gerne zahle"),
    "bg": _split("всеки път|точно преди|благодаря за нищо|рекорд|точно когато|точно в момента|перфектен тайминг|"
                 "обожавам да|какво удоволствие|както винаги|гении|каква ефективност|час и половина|два часа|"
                 "три часа|шест часа|удоволствие да платя"),
    "id": _split("tiap kali|setiap kali|pas mau|makasih buat apa|terima kasih untuk apa|rekor|tepat saat|"
                 "tepat ketika|pas banget aku|timing sempurna|suka bayar|senang bayar|senang sekali bayar|"
                 "suka banget bayar|seperti biasa|kayak biasa|jenius|satu setengah jam|dua jam|tiga jam|enam jam"),
    "vi": _split("lần nào|tuần nào cũng|cảm ơn vì chẳng|cảm ơn vì không|kỷ lục|đúng lúc mình|đúng lúc tôi|"
                 "ngay lúc tôi|canh giờ|thiên tài|như mọi khi|như thường lệ|tiếng rưỡi|hai tiếng|ba tiếng|sáu tiếng|"
                 "thích trả|vui khi trả|vui ghê khi trả"),
    "th": _split("ทุกครั้ง|ขอบคุณที่ไม่|สถิติ|พอดีเป๊ะ|จังหวะดี|ได้จ่าย|ชอบจ่าย|เหมือนเดิมทุกครั้ง|อัจฉริยะ|"
                 "ชั่วโมงครึ่ง|สองชั่วโมง|สามชั่วโมง|หกชั่วโมง"),
    "ur": _split("ہر بار|ٹھیک پہلے|کچھ نہ کرنے کا شکریہ|ریکارڈ|عین اس وقت|ٹھیک اس وقت|ٹائمنگ|جینیئس|ہمیشہ کی طرح|"
                 "ڈیڑھ گھنٹ|دو گھنٹ|تین گھنٹ|چھ گھنٹ|کتنی خوشی ہوئی"),
    "ar": _split("كل مرة|شكرا على لا شيء|شكرًا على لا شيء|رقم قياسي|بالضبط لحظة|بالضبط عندما|في نفس اللحظة|"
                 "توقيت مثالي|أحب أن أدفع|متعة أن أدفع|يا لها من متعة|كالعادة|عبقري|عباقرة|ساعة ونصف|ساعتين|"
                 "ثلاث ساعات|ست ساعات"),
}
EXTRA: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "failure": _split("pas du tout content|pas satisfait|pas contente|pas content|déçu|mal saisi|fausse|faux "),
        "privacy": _split("vendu mes données|qui a vendu|qui a accès|qui lui a|qui la lui|comment a-t-il|"
                           "comment ont-ils|comment connaît|numéro perso|mes infos|un autre client|adresse complète"),
        "churn": _split("autre opérateur|au revoir|je supprime|supprimer l'appli|autre appli|autre application|"
                         "je change de|change de fournisseur|adieu"),
        "fixed": _split("corrig|réparé|dès le lendemain|le lendemain"),
    },
    "es": {
        "failure": _split("nada content|no estoy satisfech|nada satisfech|decepcion|mal registr|venía mal"),
        "privacy": _split("vendió mis datos|quién vendió|quién le dio|quién se lo|quién se la|quién tiene acceso|"
                           "cómo tienen mi|cómo sabe|cómo consiguió|número personal|otro cliente|dirección completa"),
        "churn": _split("otro operador|borro|otra app|otra aplicación|me cambio|cambio de compañía|adiós"),
        "fixed": _split("corrigi|corregid|al día siguiente"),
    },
    "pt": {
        "failure": _split("nada satisfeit|não estou content|nada content|decepcion|veio errad"),
        "privacy": _split("vendeu meus dados|quem vendeu|quem passou|quem deu|quem tem acesso|como conseguiu|"
                           "como eles têm|como sabe|número pessoal|outro cliente|endereço completo"),
        "churn": _split("outra operadora|vou pra outra|apago|outro app|outro aplicativo|mudo de|troco de|tchau"),
        "fixed": _split("corrigiu|consert|no dia seguinte"),
        "praise": _split("nota dez|nota 10|educad|atencios"),
    },
    "de": {
        "failure": _split("nicht zufrieden|überhaupt nicht|enttäuscht|falsch|legen einfach auf|aufgelegt"),
        "privacy": _split("daten verkauft|wer hat meine|wer hat zugriff|wer hat die|wer hat sie|woher hat|"
                           "woher haben|woher kennt|private nummer|anderen kunden|volle adresse"),
        "churn": _split("zu einem anderen|lösche|andere app|anderen anbieter|wechsle den|wechsel|tschüss"),
        "fixed": _split("korrigiert|am nächsten tag"),
    },
    "bg": {
        "failure": _split("не съм доволн|изобщо не|разочаров|грешн"),
        "privacy": _split("продал данните|кой е продал|кой има достъп|кой му|откъде има|откъде знае|личния ми|"
                           "друг клиент|пълния"),
        "churn": _split("друг оператор|трия|изтривам|друго приложение|минавам на|сменям|довиждане"),
        "fixed": _split("поправи|коригира|на следващия ден"),
    },
    "id": {
        "failure": _split("nggak puas|tidak puas|gak puas|ga puas|nggak senang|tidak senang|sempat salah|"
                           "salah kirim|salah input|pesanan salah"),
        "privacy": _split("jual data|dapat nomor|siapa yang kasih|siapa yang bocor|siapa yang punya akses|"
                           "dari mana dia|dari mana sales|nomor pribadi|pelanggan lain|alamat lengkap"),
        "churn": _split("operator lain|hapus|aplikasi lain|ganti penyedia|ganti aplikasi|dadah"),
        "fixed": _split("betulin|dibetulkan|besoknya"),
    },
    "vi": {
        "failure": _split("không hài lòng|chẳng hài lòng|không vừa ý|sai"),
        "privacy": _split("bán dữ liệu|ai đã bán|ai đưa|ai cho|ai có quyền|sao lại có số|số cá nhân|khách khác|"
                           "địa chỉ đầy đủ|biết địa chỉ"),
        "churn": _split("nhà mạng khác|xóa|xoá|app khác|ứng dụng khác|chuyển hẳn|đổi nhà cung cấp|tạm biệt"),
        "fixed": _split("đã sửa|sửa ngay|hôm sau"),
    },
    "th": {
        "failure": _split("ไม่พอใจ|ไม่ประทับใจ|ผิด"),
        "privacy": _split("ขายข้อมูล|ได้เบอร์|ใครให้|ใครเข้าถึง|เบอร์ส่วนตัว|ลูกค้าคนอื่น|รู้ที่อยู่|รู้เบอร์|"
                           "ได้เบอร์"),
        "churn": _split("ค่ายอื่น|ลบแอ|จะลบ|ลบ @|แอปอื่น|ย้ายไปใช้|เปลี่ยนผู้ให้บริการ|ลาก่อน"),
        "fixed": _split("แก้ให้|วันรุ่งขึ้น"),
    },
    "ur": {
        "failure": _split("خوش نہیں|مطمئن نہیں|غلط"),
        "privacy": _split("ڈیٹا کس نے|کس نے بیچا|کس نے دیا|کس کے پاس|ذاتی نمبر|دوسرے گاہک|پورا پتا|کیسے معلوم ہوا|"
                           "نمبر کیسے"),
        "churn": _split("دوسرے نیٹ ورک|ڈیلیٹ|دوسری ایپ|ایپ بدل|کمپنی بدل|خدا حافظ"),
        "fixed": _split("درست کر|اگلے ہی دن"),
    },
    "ar": {
        "failure": _split("لست راض|غير راض|لست مرتاح|مستاء|خاطئ"),
        "privacy": _split("باع بياناتي|من باع|من أعطاه|من سرب|من سرّب|من لديه صلاحية|رقمي الشخصي|عميل آخر|"
                           "عنوانه الكامل|كيف حصل|كيف يعرف"),
        "churn": _split("شركة أخرى|اتصالات أخرى|سأحذف|أحذف|تطبيق آخر|سأنتقل|أنتقل|سأغير|وداعا|وداعًا"),
        "fixed": _split("صحح|في اليوم التالي"),
    },
}

# how-to verbs: a question about changing one's own details is an account question, not an exposure
ACCOUNT: dict[str, tuple[str, ...]] = {
    "fr": _split("modifier|changer|mettre à jour|mise à jour|ajouter|supprimer mon|utiliser mon"),
    "es": _split("cambiar|cambio|actualizar|modificar|añadir|usar mi"),
    "pt": _split("mudar|mudo|trocar|troco|atualizar|alterar|adicionar|usar meu"),
    "de": _split("ändern|ändere|aktualisieren|hinzufügen|nutzen|benutzen|hinterlegen"),
    "bg": _split("сменя|смяна|промен|обнов|добав|използвам"),
    "id": _split("ganti|ubah|update|perbarui|tambah|pakai"),
    "vi": _split("đổi|thay|cập nhật|thêm"),
    "th": _split("เปลี่ยน|แก้ไข|อัปเดต|เพิ่ม"),
    "ur": _split("بدل|تبدیل|اپڈیٹ|شامل|استعمال"),
    "ar": _split("أغير|اغير|تغيير|تحديث|أحدث|إضافة|أضيف|استخدام|أستخدم"),
}
