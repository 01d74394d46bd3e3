"""Help retrieval benchmark: the shop assistant's store pages and FAQ answers (ai.assistant.help)
on the demo content, by words, by meaning, and both.

    .venv/bin/python bench/assistant_help.py            # scratch SQLite in /tmp, demo content
    .venv/bin/python bench/assistant_help.py --json     # figures as JSON

The demo content (content/demo_content.toml: 7 pages, 16 FAQ entries, seven languages) is
loaded into a scratch SQLite database (DATABASE_URL, by default sqlite:////tmp/
assistant-help-bench.db, migrated first). QUESTIONS holds ten questions per language, written
for this benchmark (how a shopper would ask, not the FAQ's wording), each with the pages or
entries that answer it. For each language and mode: top-1 and top-3 hit rates (the first
result / one of the first three answers the question), in the question's language ("same")
and against the English content ("to en": the question in one language, the store's text in
another). Then the scores of questions the store does not answer (for MIN_SCORE) and the warm
time of one help_answer call.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/assistant-help-bench.db")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# The demo FAQ entries by their English question (stable names for the labels below).
FAQ = {
    "track": "How can I track my order?",
    "cancel": "Can I change or cancel my order?",
    "delivery": "How long does delivery take?",
    "duties": "Will I have to pay import duties or taxes?",
    "returns": "What is your return policy?",
    "refund": "When will I get my refund?",
    "exchange": "Can I exchange a ring for another size?",
    "find-size": "How do I find my ring size?",
    "resize": "Can my ring be resized?",
    "clean": "How do I clean my gold or platinum jewellery?",
    "pearls": "How should I look after pearls?",
    "genuine": "Is your jewellery genuine?",
    "warranty": "What does the warranty cover?",
    "payment": "Which payment methods do you accept?",
    "account": "Do I need an account to order?",
    "contact": "How can I contact you?",
}
SHIPPING = ("page:shipping",)
RETURNS = ("page:returns",)
SIZES = ("page:ring-size-guide",)
CARE = ("page:care",)
WARRANTY = ("page:warranty-authenticity",)
PAYMENT = ("page:payment",)
CONTACT = ("page:contact",)

# (question, what answers it): "faq:<name>" of FAQ above or "page:<slug>".
QUESTIONS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "en": [
        ("how many days until my necklace arrives?", ("faq:delivery", *SHIPPING)),
        ("do I pay customs fees when it gets to Canada?", ("faq:duties", *SHIPPING)),
        ("I want to send back the earrings I bought", ("faq:returns", *RETURNS)),
        ("the ring is too small, can you make it bigger?", ("faq:resize", "faq:exchange")),
        ("how do I measure my finger at home", ("faq:find-size", *SIZES)),
        ("is the silver real or just plated?", ("faq:genuine", *WARRANTY)),
        ("can I use PayPal or Apple Pay?", ("faq:payment", *PAYMENT)),
        ("my pearl necklace looks dull, how do I keep it shiny", ("faq:pearls", *CARE)),
        ("where's my parcel, is there a tracking number?", ("faq:track", *SHIPPING)),
        ("is there a phone number to reach you", ("faq:contact", *CONTACT)),
    ],
    "fr": [
        ("je peux annuler la commande passée hier ?", ("faq:cancel",)),
        ("combien de temps pour être livré en Belgique", ("faq:delivery", *SHIPPING)),
        ("est-ce qu'il y a des frais de douane pour la Suisse ?", ("faq:duties", *SHIPPING)),
        ("quand est-ce que je serai remboursée ?", ("faq:refund", *RETURNS)),
        ("comment savoir quel tour de doigt je fais", ("faq:find-size", *SIZES)),
        ("ma bague en or a terni, comment la faire briller", ("faq:clean", *CARE)),
        ("vos diamants sont certifiés ou pas ?", ("faq:genuine", *WARRANTY)),
        ("si la pierre tombe, c'est couvert ?", ("faq:warranty", *WARRANTY)),
        ("faut-il s'inscrire pour acheter chez vous ?", ("faq:account",)),
        ("je voudrais la même bague une taille au-dessus", ("faq:exchange", "faq:resize")),
    ],
    "de": [
        ("Wann kommt mein Paket an?", ("faq:delivery", "faq:track", *SHIPPING)),
        ("Kann ich mit Kreditkarte zahlen?", ("faq:payment", *PAYMENT)),
        ("Ich will die Kette zurückschicken, wie geht das?", ("faq:returns", *RETURNS)),
        ("Wann bekomme ich mein Geld zurück?", ("faq:refund", *RETURNS)),
        ("Der Ring ist zu eng, kann man ihn weiten?", ("faq:resize", "faq:exchange")),
        ("Wie pflege ich meine Perlenohrringe richtig?", ("faq:pearls", *CARE)),
        ("Ist das echtes Gold?", ("faq:genuine", *WARRANTY)),
        ("Kommen Zollgebühren dazu, wenn ich in die Schweiz bestelle?", ("faq:duties", *SHIPPING)),
        ("Wie erreiche ich euren Kundenservice?", ("faq:contact", *CONTACT)),
        ("Geht eine Bestellung auch ohne Kundenkonto?", ("faq:account",)),
    ],
    "es": [
        ("¿cuántos días tarda en llegar a México?", ("faq:delivery", *SHIPPING)),
        ("quiero anular el pedido que hice", ("faq:cancel",)),
        ("¿dónde veo por dónde va mi paquete?", ("faq:track", *SHIPPING)),
        ("¿puedo regresar un anillo si no me gusta?", ("faq:returns", *RETURNS)),
        ("¿cuándo me devuelven el dinero?", ("faq:refund", *RETURNS)),
        ("no sé qué número de anillo uso", ("faq:find-size", *SIZES)),
        ("¿se puede agrandar un anillo?", ("faq:resize", "faq:exchange")),
        ("¿cómo limpio mis joyas de platino?", ("faq:clean", *CARE)),
        ("si se rompe el cierre del collar, ¿lo arreglan gratis?", ("faq:warranty", *WARRANTY)),
        ("¿aceptan tarjeta de débito?", ("faq:payment", *PAYMENT)),
    ],
    "ja": [
        ("いつ届きますか", ("faq:delivery", *SHIPPING)),
        ("海外から買うと税金が追加でかかる？", ("faq:duties", *SHIPPING)),
        ("荷物の追跡番号はどこで見られますか", ("faq:track", *SHIPPING)),
        ("注文を取り消したいです", ("faq:cancel",)),
        ("気に入らなかったら返せますか", ("faq:returns", *RETURNS)),
        ("指のサイズの測り方を教えて", ("faq:find-size", *SIZES)),
        ("指輪のサイズ直しはできますか", ("faq:resize", "faq:exchange")),
        ("真珠のお手入れはどうすればいい？", ("faq:pearls", *CARE)),
        ("本物の金ですか？", ("faq:genuine", *WARRANTY)),
        ("クレジットカードは使えますか", ("faq:payment", *PAYMENT)),
    ],
    "zh-hans": [
        ("发货到上海要几天", ("faq:delivery", *SHIPPING)),
        ("我的包裹到哪里了", ("faq:track", *SHIPPING)),
        ("下单后还能取消吗", ("faq:cancel",)),
        ("不喜欢可以退吗", ("faq:returns", *RETURNS)),
        ("退款多久到账", ("faq:refund", *RETURNS)),
        ("怎么量自己的手指尺寸", ("faq:find-size", *SIZES)),
        ("戒指太大了能改小吗", ("faq:resize", "faq:exchange")),
        ("金项链发黑了怎么清洗", ("faq:clean", *CARE)),
        ("你们的钻石是真的吗，有证书吗", ("faq:genuine", *WARRANTY)),
        ("可以用支付宝付款吗", ("faq:payment", *PAYMENT)),
    ],
    "ar": [
        ("متى يصل طلبي إلى دبي؟", ("faq:delivery", "faq:track", *SHIPPING)),
        ("هل أدفع جمارك عند الاستلام؟", ("faq:duties", *SHIPPING)),
        ("أريد إلغاء الطلب", ("faq:cancel",)),
        ("كيف أرجع منتج لم يعجبني؟", ("faq:returns", *RETURNS)),
        ("متى يرجع المبلغ إلى حسابي؟", ("faq:refund", *RETURNS)),
        ("كيف أعرف مقاس إصبعي؟", ("faq:find-size", *SIZES)),
        ("كيف أنظف الذهب في البيت؟", ("faq:clean", *CARE)),
        ("هل الألماس طبيعي وأصلي؟", ("faq:genuine", *WARRANTY)),
        ("كم سنة الضمان على القطع؟", ("faq:warranty", *WARRANTY)),
        ("كيف أتواصل مع خدمة العملاء؟", ("faq:contact", *CONTACT)),
    ],
}
# Questions the store's pages do not answer: their best scores set MIN_SCORE.
UNANSWERED = [
    ("what's the weather in Paris tomorrow?", "en"),
    ("write me a python function that sorts a list", "en"),
    ("qui a gagné le match hier soir ?", "fr"),
    ("Wie spät ist es in Tokio?", "de"),
    ("¿me recomiendas una película?", "es"),
    ("今日の天気は？", "ja"),
    ("帮我写一首诗", "zh-hans"),
    ("ما هي عاصمة فرنسا؟", "ar"),
    ("how do I reset my router", "en"),
    ("recette de la tarte aux pommes", "fr"),
    ("Wer hat den Film Titanic gedreht?", "de"),
    ("¿cuánto es 15 por 7?", "es"),
    ("おすすめのラーメン屋は？", "ja"),
    ("明天北京会下雨吗", "zh-hans"),
    ("كيف أتعلم البرمجة؟", "ar"),
]


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from content.services import read_content_file, store_content_load

    call_command("migrate", verbosity=0, interactive=False)
    store_content_load(data=read_content_file())


def labels_by_key() -> dict[str, str]:
    """HelpDocument key ("faq:12", "page:3") -> the label used in QUESTIONS."""
    from content.selectors import help_documents

    by_question = {question: name for name, question in FAQ.items()}
    labels = {}
    for document in help_documents(language="en"):
        if document.kind == "faq":
            labels[document.key] = f"faq:{by_question.get(document.title, document.title)}"
        else:
            labels[document.key] = f"page:{document.url.rstrip('/').rsplit('/', 1)[-1]}"
    return labels


def evaluate(*, content_language: str | None, **settings) -> dict[str, tuple[float, float]]:
    """{language: (top-1, top-3)} with these ai.assistant.help.rank settings."""
    from ai.assistant import help as assistant_help

    labels = labels_by_key()
    figures = {}
    for language, questions in QUESTIONS.items():
        top1 = top3 = 0
        target = content_language or language
        documents = assistant_help._index(target).documents
        for question, answers in questions:
            ranked = assistant_help.rank(question, language=target, **settings)
            found = [labels[documents[position].key] for position, _s, _p in ranked[:3]]
            top1 += bool(found) and found[0] in answers
            top3 += any(label in answers for label in found)
        figures[language] = (top1 / len(questions), top3 / len(questions))
    return figures


VARIANTS = {
    "lexical (search_help)": {"mode": "lexical", "lexical": "search_help"},
    "lexical (terms)": {"mode": "lexical", "lexical": "terms"},
    "semantic": {"mode": "semantic", "english": False},
    "semantic +en": {"mode": "semantic", "english": True},
}


def overall(figures: dict) -> tuple[float, float]:
    return (
        statistics.mean(top1 for top1, _ in figures.values()),
        statistics.mean(top3 for _, top3 in figures.values()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--weights", default="0.1,0.2,0.3")
    parser.add_argument("--passages", default="160,400")
    args = parser.parse_args()
    setup()
    from ai.assistant import help as assistant_help

    results: dict = {"same": {}, "to en": {}, "grid": {}}
    for name, settings in VARIANTS.items():
        results["same"][name] = evaluate(content_language=None, **settings)
    for lexical in ("terms", "search_help"):
        for weight in (float(w) for w in args.weights.split(",")):
            settings = {"lexical": lexical, "lexical_weight": weight}
            figures = evaluate(content_language=None, **settings)
            results["grid"][f"{lexical} {weight}"] = overall(figures)
    figures = evaluate(content_language=None, english=True)
    results["grid"]["module, +en"] = overall(figures)
    default_size = assistant_help.PASSAGE_CHARS
    for size in (int(value) for value in args.passages.split(",")):
        assistant_help.PASSAGE_CHARS = size
        assistant_help.clear_cache()
        results["grid"][f"module, passages of {size}"] = overall(evaluate(content_language=None))
    assistant_help.PASSAGE_CHARS = default_size
    assistant_help.clear_cache()
    results["same"]["combined (module)"] = evaluate(content_language=None)
    for name in ("lexical (terms)", "semantic"):
        results["to en"][name] = evaluate(content_language="en", **VARIANTS[name])
    results["to en"]["combined (module)"] = evaluate(content_language="en")

    correct_scores = []
    labels = labels_by_key()
    for language, questions in QUESTIONS.items():
        for question, answers in questions:
            ranked = assistant_help.rank(question, language=language)
            index = assistant_help._index(language)
            if ranked and labels[index.documents[ranked[0][0]].key] in answers:
                correct_scores.append(ranked[0][1])
    unanswered = {}
    for question, language in UNANSWERED:
        ranked = assistant_help.rank(question, language=language)
        unanswered[question] = round(ranked[0][1], 3) if ranked else None
    kept = {
        threshold: (
            round(sum(s >= threshold for s in correct_scores) / len(correct_scores), 3),
            round(sum((s or 0) < threshold for s in unanswered.values()) / len(unanswered), 3),
        )
        for threshold in (0.25, 0.3, 0.35, 0.4, 0.45)
    }
    results["scores"] = {
        "correct top-1 min": round(min(correct_scores), 3),
        "correct top-1 p10": round(sorted(correct_scores)[len(correct_scores) // 10], 3),
        "unanswered max": max(s for s in unanswered.values() if s is not None),
        "threshold: (correct answers kept, unanswered refused)": kept,
        "unanswered": unanswered,
    }
    timings = []
    for _round in range(3):
        for language, questions in QUESTIONS.items():
            for question, _answers in questions:
                began = time.perf_counter()
                assistant_help.help_answer(f"{question} ?" * (_round + 1), language=language)
                timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    results["ms"] = {
        "p50": round(timings[len(timings) // 2], 1),
        "p95": round(timings[int(len(timings) * 0.95)], 1),
    }
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False, default=str))
        return
    for setting in ("same", "to en"):
        print(f"\nQuestions against the content in {setting} language: top-1 / top-3")
        print(f"{'mode':22}" + "".join(f"{lang:>12}" for lang in QUESTIONS) + f"{'all':>12}")
        for mode, figures in results[setting].items():
            cells = "".join(f"{a:>6.2f}/{b:<5.2f}" for a, b in figures.values())
            a, b = overall(figures)
            print(f"{mode:22}{cells}{a:>6.2f}/{b:<5.2f}")
    print("\nCombined (semantic + weight x lexical): top-1 / top-3 over all languages")
    for name, (a, b) in results["grid"].items():
        print(f"  {name:<22} {a:.3f} / {b:.3f}")
    print("\nScores:", json.dumps(results["scores"], ensure_ascii=False, indent=1))
    print("help_answer warm, ms:", results["ms"])


if __name__ == "__main__":
    main()
