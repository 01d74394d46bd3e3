"""The shop assistant's help retrieval: store pages and FAQ entries found by meaning in every
language, with a plain-text snippet and the URL in the shopper's language; the cache follows
content changes."""

from __future__ import annotations

import pytest

from ai.assistant import help as assistant_help
from ai.services import HelpHit, assistant_help_answer
from content.services import faq_entry_save, faq_entry_set_published, store_page_save

LANGUAGES = ("en", "fr", "de", "es", "ja", "zh-hans", "ar")


@pytest.fixture(autouse=True)
def _fresh_help_cache():
    assistant_help.clear_cache()
    yield
    assistant_help.clear_cache()


@pytest.fixture
def store_help(db, django_capture_on_commit_callbacks):
    """An engraving FAQ (the one the questions look for) among a few others, each written in
    the seven languages in the style of content/demo_content.toml; a care page."""
    with django_capture_on_commit_callbacks(execute=True):
        engraving = faq_entry_save(
            topic="other",
            texts={
                "en": {
                    "question": "Can you engrave a message on my jewellery?",
                    "answer": "<p>Yes: up to 20 characters inside a ring or on the back of a "
                    "pendant, free of charge, ready in 3 extra business days.</p>",
                },
                "fr": {
                    "question": "Pouvez-vous graver un message sur mon bijou ?",
                    "answer": "<p>Oui : jusqu’à 20 caractères à l’intérieur d’une bague ou au dos "
                    "d’un pendentif, gratuitement, en 3 jours ouvrés de plus.</p>",
                },
                "de": {
                    "question": "Könnt ihr eine Gravur auf meinem Schmuck anbringen?",
                    "answer": "<p>Ja: bis zu 20 Zeichen innen im Ring oder auf der Rückseite "
                    "eines Anhängers, kostenlos, 3 Werktage länger.</p>",
                },
                "es": {
                    "question": "¿Pueden grabar un mensaje en mi joya?",
                    "answer": "<p>Sí: hasta 20 caracteres dentro de un anillo o en el reverso de "
                    "un colgante, gratis, en 3 días hábiles más.</p>",
                },
                "ja": {
                    "question": "ジュエリーに刻印をしてもらえますか？",
                    "answer": "<p>はい。リングの内側やペンダントの裏に20文字まで、"
                    "無料で刻印します。お届けは3営業日ほど延びます。</p>",
                },
                "zh-hans": {
                    "question": "可以在首饰上刻字吗？",
                    "answer": "<p>可以：戒指内侧或吊坠背面最多20个字符，免费，需多3个工作日。</p>",
                },
                "ar": {
                    "question": "هل يمكنكم نقش عبارة على قطعتي؟",
                    "answer": "<p>نعم: حتى 20 حرفًا داخل الخاتم أو على ظهر القلادة، مجانًا، مع 3 "
                    "أيام عمل إضافية.</p>",
                },
            },
        )
        gift = faq_entry_save(
            topic="orders",
            texts={
                "en": {
                    "question": "Do you offer gift wrapping?",
                    "answer": "<p>Every order comes in our gift box with a card.</p>",
                },
                "fr": {
                    "question": "Proposez-vous un emballage cadeau ?",
                    "answer": "<p>Chaque commande arrive dans notre écrin avec une carte.</p>",
                },
                "de": {
                    "question": "Gibt es eine Geschenkverpackung?",
                    "answer": "<p>Jede Bestellung kommt in unserer Geschenkbox mit Karte.</p>",
                },
                "es": {
                    "question": "¿Ofrecen envoltorio de regalo?",
                    "answer": "<p>Cada pedido llega en nuestra caja de regalo con tarjeta.</p>",
                },
                "ja": {
                    "question": "ギフト包装はできますか？",
                    "answer": "<p>すべてのご注文をギフトボックスとカード付きでお届けします。</p>",
                },
                "zh-hans": {
                    "question": "可以提供礼品包装吗？",
                    "answer": "<p>每个订单都附有礼盒和贺卡。</p>",
                },
                "ar": {
                    "question": "هل تقدمون تغليف الهدايا؟",
                    "answer": "<p>يصل كل طلب في علبة هدايا مع بطاقة.</p>",
                },
            },
        )
        payment = faq_entry_save(
            topic="payment",
            texts={
                "en": {
                    "question": "Which payment methods do you accept?",
                    "answer": "<p>Visa, Mastercard, American Express and bank transfer.</p>",
                }
            },
        )
        care = store_page_save(
            slug="care",
            kind="care",
            texts={
                "en": {
                    "title": "Jewellery care guide",
                    "summary": "How to keep gold, silver and pearls beautiful.",
                    "body": "<p>Take your rings off before swimming, cleaning or going to the "
                    "gym: chlorine, detergents and knocks are what wear jewellery most, far more "
                    "than daily wear. Put them on last, after perfume and creams.</p>"
                    "<p>Pearls are soft: wipe them with a damp cloth after wearing them, let them "
                    "dry flat and never put them in an ultrasonic cleaner or in water for long, "
                    "as the silk thread they are strung on weakens.</p>"
                    "<p>Silver darkens in air: store it in the anti-tarnish pouch we send with "
                    "it, and polish it with the cloth in the box when it loses its shine.</p>",
                },
                "fr": {
                    "title": "Entretien des bijoux",
                    "summary": "Garder l’or, l’argent et les perles éclatants.",
                    "body": "<p>Retirez vos bagues avant de nager, de faire le ménage ou du "
                    "sport : le chlore, les détergents et les chocs usent les bijoux bien plus "
                    "que le port quotidien. Mettez-les en dernier, après le parfum.</p>"
                    "<p>Les perles sont fragiles : essuyez-les avec un chiffon humide après les "
                    "avoir portées, laissez-les sécher à plat, jamais de bain à ultrasons ni de "
                    "trempage, car le fil de soie qui les tient s’abîme.</p>"
                    "<p>L’argent noircit à l’air : rangez-le dans sa pochette anti-ternissement "
                    "et polissez-le avec la chamoisine fournie quand il perd son éclat.</p>",
                },
            },
        )
    return {"engraving": engraving, "gift": gift, "payment": payment, "care": care}


# The engraving question, phrased unlike the FAQ, natively in each language.
ENGRAVING_QUESTIONS = {
    "en": "could you put our initials inside the wedding band?",
    "fr": "on peut écrire nos initiales à l'intérieur de la bague ?",
    "de": "Kann man Initialen in den Ehering eingravieren lassen?",
    "es": "¿me ponen las iniciales dentro del anillo de boda?",
    "ja": "結婚指輪の内側に名前を入れられますか",
    "zh-hans": "婚戒里面能刻名字吗",
    "ar": "أريد كتابة اسم زوجتي داخل خاتم الزواج، ممكن؟",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_question_phrased_differently_finds_the_faq_in_every_language(store_help, language):
    hits = assistant_help_answer(ENGRAVING_QUESTIONS[language], language=language)

    assert hits, "no answer"
    top = hits[0]
    assert isinstance(top, HelpHit)
    assert (top.kind, top.id) == ("faq", store_help["engraving"].pk)
    assert "20" in top.snippet and "<" not in top.snippet
    assert top.url.startswith(f"/{language}/") and top.url.endswith(
        f"#faq-{store_help['engraving'].pk}"
    )
    assert len(hits) <= 3 and hits == sorted(hits, key=lambda hit: -hit.score)


@pytest.mark.parametrize("language", ["ja", "de", "ar"])
def test_english_only_content_answers_a_question_in_another_language(store_help, language):
    question = {
        "ja": "支払いにはどのカードが使えますか",
        "de": "Welche Kreditkarten nehmt ihr?",
        "ar": "ما هي البطاقات التي تقبلونها للدفع؟",
    }[language]

    top = assistant_help_answer(question, language=language)[0]

    assert (top.kind, top.id) == ("faq", store_help["payment"].pk)
    assert top.title == "Which payment methods do you accept?"


def test_a_page_answers_with_its_most_relevant_paragraph(store_help):
    (top, *_rest) = assistant_help_answer(
        "my pearls lost their shine, can I put them in the ultrasonic bath?", language="en"
    )

    assert (top.kind, top.id) == ("page", store_help["care"].pk)
    assert top.snippet.startswith("Pearls are soft")
    assert top.url == "/en/pages/care/"
    french = assistant_help_answer("comment nettoyer mes perles ?", language="fr")[0]
    assert french.snippet.startswith("Les perles sont fragiles")


def test_no_answer_for_an_empty_or_unrelated_question_and_the_limit_holds(store_help):
    assert assistant_help_answer("", language="en") == []
    assert assistant_help_answer("   ", language="fr") == []
    assert assistant_help_answer("who won the football match yesterday?", language="en") == []
    assert assistant_help_answer(ENGRAVING_QUESTIONS["en"], language="en", limit=0) == []
    assert len(assistant_help_answer("gift box engraving", language="en", limit=1)) == 1


def test_a_content_change_clears_the_cache_and_only_changed_texts_are_embedded_again(
    store_help, django_capture_on_commit_callbacks, monkeypatch
):
    question = "do you wrap presents?"
    assert assistant_help_answer(question, language="en")[0].id == store_help["gift"].pk
    embedded: list[str] = []
    real = assistant_help.embed_texts

    def counting(texts):
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(assistant_help, "embed_texts", counting)

    # Cached: the same question costs no embedding.
    assistant_help_answer(question, language="en")
    assert embedded == []

    with django_capture_on_commit_callbacks(execute=True):
        faq_entry_save(
            entry=store_help["gift"],
            topic="orders",
            texts={"en": {"answer": "<p>Gift boxes are 5 dollars, with a handwritten card.</p>"}},
        )
    top = assistant_help_answer(question, language="en")[0]
    assert "handwritten" in top.snippet
    # Only the edited entry's question-with-answer is new; every other part was cached.
    assert embedded == [
        "Do you offer gift wrapping? Gift boxes are 5 dollars, with a handwritten card."
    ]

    with django_capture_on_commit_callbacks(execute=True):
        faq_entry_set_published(entry=store_help["gift"], is_published=False)
    assert all(
        hit.id != store_help["gift"].pk for hit in assistant_help_answer(question, language="en")
    )


def test_without_the_signal_a_change_shows_after_the_max_age(store_help, settings):
    """Another process's change: this one re-reads the texts after AI_ASSISTANT_HELP_MAX_AGE."""
    question = "do you wrap presents?"
    assert assistant_help_answer(question, language="en")[0].id == store_help["gift"].pk
    faq_entry_set_published(entry=store_help["gift"], is_published=False)
    settings.AI_ASSISTANT_HELP_MAX_AGE = 0.01
    for index in assistant_help._indexes.values():
        index.loaded_at -= 1
    assert all(
        hit.id != store_help["gift"].pk for hit in assistant_help_answer(question, language="en")
    )


def test_passages_keep_whole_sentences():
    text = "One. " * 30 + "A long sentence without any stop " * 20
    pieces = assistant_help.passages(text, size=100)
    assert all(len(piece) <= 150 for piece in pieces)
    assert " ".join(pieces).split() == text.split()


def test_an_unknown_language_answers_from_the_store_language(store_help):
    (top, *_rest) = assistant_help_answer("do you wrap presents?", language="xx")
    assert top.id == store_help["gift"].pk and top.url.startswith("/en/")
