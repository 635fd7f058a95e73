"""The public form's own words in each language a questionnaire can be answered in.

French, Arabic and Turkish are respondents' languages, not languages of the site
(the site is Dutch and English), so they have no catalogue of the project; the
few words the public form needs are kept here, next to each other, so a
translator checks one table.
"""

TEXTS: dict[str, dict[str, str]] = {
    "send": {
        "nl": "Versturen",
        "fr": "Envoyer",
        "en": "Send",
        "ar": "إرسال",
        "tr": "Gönder",
    },
    "next": {"nl": "Volgende", "fr": "Suivant", "en": "Next", "ar": "التالي", "tr": "İleri"},
    "question_of": {
        "nl": "Vraag {number} van {total}",
        "fr": "Question {number} sur {total}",
        "en": "Question {number} of {total}",
        "ar": "السؤال {number} من {total}",
        "tr": "Soru {number} / {total}",
    },
    "anonymous": {
        "nl": "Je antwoorden zijn anoniem: we bewaren geen naam, adres of toestel.",
        "fr": "Vos réponses sont anonymes : nous ne gardons ni nom, ni adresse, ni appareil.",
        "en": "Your answers are anonymous: we keep no name, address or device.",
        "ar": "إجاباتك مجهولة الهوية: لا نحتفظ بأي اسم أو عنوان أو جهاز.",
        "tr": "Cevaplarınız anonimdir: isim, adres veya cihaz bilgisi saklamıyoruz.",
    },
    "no_names": {
        "nl": "Schrijf geen namen of iets waaraan iemand herkend kan worden.",
        "fr": "N'écrivez pas de noms ni rien qui permette de reconnaître quelqu'un.",
        "en": "Do not write names or anything by which someone can be recognised.",
        "ar": "لا تكتب أسماء أو أي شيء يمكن من خلاله التعرف على شخص ما.",
        "tr": "İsim veya birinin tanınmasını sağlayacak bir şey yazmayın.",
    },
    "optional": {
        "nl": "(niet verplicht)",
        "fr": "(facultatif)",
        "en": "(optional)",
        "ar": "(اختياري)",
        "tr": "(isteğe bağlı)",
    },
    "thanks_title": {
        "nl": "Bedankt!",
        "fr": "Merci !",
        "en": "Thank you!",
        "ar": "شكرا لك!",
        "tr": "Teşekkürler!",
    },
    "thanks": {
        "nl": "Je antwoorden zijn goed ontvangen.",
        "fr": "Vos réponses ont bien été reçues.",
        "en": "Your answers have been received.",
        "ar": "تم استلام إجاباتك.",
        "tr": "Cevaplarınız alındı.",
    },
    "closed_title": {
        "nl": "Deze vragenlijst is gesloten",
        "fr": "Ce questionnaire est fermé",
        "en": "This questionnaire is closed",
        "ar": "هذا الاستبيان مغلق",
        "tr": "Bu anket kapandı",
    },
    "closed": {
        "nl": "Je kunt niet meer antwoorden. Bedankt voor je interesse.",
        "fr": "Il n'est plus possible de répondre. Merci de votre intérêt.",
        "en": "Answers are no longer accepted. Thank you for your interest.",
        "ar": "لم يعد من الممكن الإجابة. شكرا لاهتمامك.",
        "tr": "Artık cevap verilemiyor. İlginiz için teşekkürler.",
    },
    "replayed": {
        "nl": "Deze antwoorden werden al verstuurd; ze zijn maar één keer bewaard.",
        "fr": "Ces réponses ont déjà été envoyées ; elles ne sont enregistrées qu'une fois.",
        "en": "These answers were already sent; they were stored only once.",
        "ar": "تم إرسال هذه الإجابات بالفعل؛ تم حفظها مرة واحدة فقط.",
        "tr": "Bu cevaplar zaten gönderildi; yalnızca bir kez kaydedildi.",
    },
    "errors": {
        "nl": "Kijk je antwoorden na: er ontbreekt iets of er klopt iets niet.",
        "fr": "Vérifiez vos réponses : il manque quelque chose ou quelque chose ne va pas.",
        "en": "Check your answers: something is missing or not right.",
        "ar": "راجع إجاباتك: هناك شيء ناقص أو غير صحيح.",
        "tr": "Cevaplarınızı kontrol edin: eksik veya hatalı bir şey var.",
    },
    "too_many": {
        "nl": (
            "Er kwamen te veel antwoorden van deze verbinding. "
            "Probeer het over enkele minuten opnieuw."
        ),
        "fr": "Trop de réponses sont venues de cette connexion. Réessayez dans quelques minutes.",
        "en": "Too many answers came from this connection. Try again in a few minutes.",
        "ar": "وصلت إجابات كثيرة جدا من هذا الاتصال. حاول مرة أخرى بعد بضع دقائق.",
        "tr": "Bu bağlantıdan çok fazla cevap geldi. Birkaç dakika sonra tekrar deneyin.",
    },
    "language": {
        "nl": "Taal",
        "fr": "Langue",
        "en": "Language",
        "ar": "اللغة",
        "tr": "Dil",
    },
    "leave_empty": {
        "nl": "Laat dit veld leeg",
        "fr": "Laissez ce champ vide",
        "en": "Leave this field empty",
        "ar": "اترك هذا الحقل فارغا",
        "tr": "Bu alanı boş bırakın",
    },
    "not_in_scale": {
        "nl": "Kies een van de antwoorden.",
        "fr": "Choisissez une des réponses.",
        "en": "Choose one of the answers.",
        "ar": "اختر إحدى الإجابات.",
        "tr": "Cevaplardan birini seçin.",
    },
    "required": {
        "nl": "Deze vraag heeft een antwoord nodig.",
        "fr": "Cette question demande une réponse.",
        "en": "This question needs an answer.",
        "ar": "هذا السؤال يحتاج إلى إجابة.",
        "tr": "Bu soru bir cevap gerektiriyor.",
    },
    "too_long": {
        "nl": "Dit antwoord is te lang (ten hoogste {max} tekens).",
        "fr": "Cette réponse est trop longue ({max} caractères au maximum).",
        "en": "This answer is too long (at most {max} characters).",
        "ar": "هذه الإجابة طويلة جدا (بحد أقصى {max} حرفا).",
        "tr": "Bu cevap çok uzun (en fazla {max} karakter).",
    },
}


def texts_in(language: str) -> dict[str, str]:
    """Every public text in the language (Dutch when a text lacks it)."""
    return {key: values.get(language) or values["nl"] for key, values in TEXTS.items()}
