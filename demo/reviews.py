"""Demo reviews for seed_demo: rated reviews in the store's languages, mixed sentiment, spread over
the past year, for the product pages, the merchant's trends and the sentiment model to learn from.

Deterministic for a seed; written in bulk by reviews.services.reviews_bulk_load (a few hundred
rows, well under a second).
Sentiment is not computed here (seed_demo stays fast): a bulk scoring job is started when the
seed commits, and the worker started by `make run` scores the reviews in the background.
Two products get recent complaints after a good start, so the admin shows a sentiment drop.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Product, PublicationStatus
from orders.models import OrderLine
from reviews.models import ReviewStatus
from reviews.selectors import reviews_exist
from reviews.services import reviews_bulk_load

OPENINGS = {
    "en": {
        "positive": [
            "Absolutely love it.",
            "Beautiful piece, very happy.",
            "Exceeded my expectations.",
        ],
        "neutral": ["It's okay.", "Decent, nothing special.", "Mixed feelings about this one."],
        "negative": [
            "Very disappointed.",
            "Not what I expected at all.",
            "I would not buy it again.",
        ],
    },
    "fr": {
        "positive": ["Je l'adore.", "Très beau bijou, ravie.", "Au-delà de mes attentes."],
        "neutral": ["Correct, sans plus.", "Pas mal, mais rien d'exceptionnel.", "Avis mitigé."],
        "negative": ["Très déçue.", "Pas du tout ce que j'attendais.", "Je ne le rachèterai pas."],
    },
    "de": {
        "positive": [
            "Ich liebe es.",
            "Wunderschönes Stück, sehr zufrieden.",
            "Besser als erwartet.",
        ],
        "neutral": ["Ganz okay.", "In Ordnung, nichts Besonderes.", "Gemischte Gefühle."],
        "negative": [
            "Sehr enttäuscht.",
            "Überhaupt nicht wie erwartet.",
            "Würde ich nicht wieder kaufen.",
        ],
    },
    "es": {
        "positive": ["Me encanta.", "Una joya preciosa, muy contenta.", "Superó mis expectativas."],
        "neutral": ["Está bien.", "Correcto, nada especial.", "Opinión dividida."],
        "negative": [
            "Muy decepcionada.",
            "Nada que ver con lo esperado.",
            "No lo volvería a comprar.",
        ],
    },
    "zh-hans": {
        "positive": ["非常喜欢。", "很漂亮，很满意。", "超出预期。"],
        "neutral": ["还可以。", "一般般，没什么特别。", "感觉一般。"],
        "negative": ["非常失望。", "和想象的完全不一样。", "不会再买了。"],
    },
    "ja": {
        "positive": ["とても気に入りました。", "綺麗で大満足です。", "期待以上でした。"],
        "neutral": ["まあまあです。", "普通です。", "良い点も悪い点もあります。"],
        "negative": ["とてもがっかりしました。", "期待とは全然違いました。", "もう買いません。"],
    },
    "ar": {
        "positive": ["أحببته كثيرا.", "قطعة جميلة، سعيدة جدا.", "فاق توقعاتي."],
        "neutral": ["لا بأس به.", "عادي، لا شيء مميز.", "مشاعر مختلطة."],
        "negative": ["خيبة أمل كبيرة.", "ليس كما توقعت أبدا.", "لن أشتريه مرة أخرى."],
    },
}
# aspect -> language -> (praise, complaint)
ASPECT_SENTENCES = {
    "quality": {
        "en": ("The quality is excellent and it sparkles.", "The plating wore off after a week."),
        "fr": (
            "La qualité est excellente, ça brille.",
            "Le plaqué est parti au bout d'une semaine.",
        ),
        "de": (
            "Die Qualität ist hervorragend und es glänzt.",
            "Die Beschichtung war nach einer Woche ab.",
        ),
        "es": ("La calidad es excelente y brilla mucho.", "El chapado se fue en una semana."),
        "zh-hans": ("质量很好，闪闪发光。", "镀层一个星期就掉了。"),
        "ja": ("品質がとても良く、輝いています。", "一週間でメッキが剥がれました。"),
        "ar": ("الجودة ممتازة ولمعانه رائع.", "الطلاء زال بعد أسبوع."),
    },
    "size_fit": {
        "en": ("The size fits perfectly.", "Far too small, the size chart is wrong."),
        "fr": ("La taille est parfaite.", "Beaucoup trop petit, le guide des tailles est faux."),
        "de": ("Die Größe passt perfekt.", "Viel zu klein, die Größentabelle stimmt nicht."),
        "es": ("La talla es perfecta.", "Demasiado pequeño, la guía de tallas está mal."),
        "zh-hans": ("尺寸刚刚好。", "尺寸太小了，尺码表不准。"),
        "ja": ("サイズがぴったりです。", "サイズが小さすぎました。"),
        "ar": ("المقاس مناسب تماما.", "المقاس صغير جدا."),
    },
    "shipping": {
        "en": (
            "Shipping was fast, it arrived in three days.",
            "Delivery took a month and tracking never worked.",
        ),
        "fr": (
            "Livraison rapide, reçu en trois jours.",
            "La livraison a pris un mois, aucun suivi.",
        ),
        "de": ("Schnelle Lieferung, nach drei Tagen da.", "Die Lieferung dauerte einen Monat."),
        "es": ("Envío rápido, llegó en tres días.", "El envío tardó un mes."),
        "zh-hans": ("物流很快，三天就到了。", "快递太慢了，等了一个月。"),
        "ja": ("配送が早く、三日で届きました。", "届くまで一ヶ月もかかりました。"),
        "ar": ("الشحن سريع، وصل في ثلاثة أيام.", "التوصيل استغرق شهرا كاملا."),
    },
    "packaging": {
        "en": ("Lovely gift box, beautifully packaged.", "The box arrived crushed."),
        "fr": ("Très bel écrin, emballage soigné.", "La boîte est arrivée écrasée."),
        "de": ("Schöne Geschenkbox, liebevoll verpackt.", "Die Schachtel kam zerdrückt an."),
        "es": ("Un estuche precioso, muy bien empaquetado.", "La caja llegó aplastada."),
        "zh-hans": ("包装很精美，适合送礼。", "盒子压坏了。"),
        "ja": ("箱も素敵で、丁寧な梱包でした。", "箱が潰れて届きました。"),
        "ar": ("علبة هدية جميلة وتغليف رائع.", "وصلت العلبة مهشمة."),
    },
    "price": {
        "en": ("Great value for the price.", "Overpriced for what you get."),
        "fr": ("Excellent rapport qualité-prix.", "Beaucoup trop cher pour ce que c'est."),
        "de": ("Top Preis-Leistung.", "Viel zu teuer für das, was man bekommt."),
        "es": ("Muy buen precio.", "Demasiado caro para lo que es."),
        "zh-hans": ("性价比很高。", "价格太贵了，不值。"),
        "ja": ("コスパが良いです。", "値段の割に安っぽいです。"),
        "ar": ("السعر ممتاز مقابل الجودة.", "غالي جدا مقارنة بالجودة."),
    },
    "service": {
        "en": (
            "Customer service was quick and helpful.",
            "The seller never answered my emails about a refund.",
        ),
        "fr": (
            "Service client rapide et serviable.",
            "Le vendeur n'a jamais répondu pour le remboursement.",
        ),
        "de": (
            "Der Kundendienst war schnell und freundlich.",
            "Der Händler hat auf meine Rückgabe nie geantwortet.",
        ),
        "es": (
            "La atención al cliente fue rápida y amable.",
            "El vendedor nunca respondió sobre el reembolso.",
        ),
        "zh-hans": ("客服回复很快，态度很好。", "客服一直不回复，退款也没有处理。"),
        "ja": (
            "ショップの対応が早く丁寧でした。",
            "返品の問い合わせに対応してもらえませんでした。",
        ),
        "ar": ("خدمة العملاء سريعة ومتعاونة.", "البائع لم يرد على طلب الاسترداد."),
    },
}
TITLES = {
    "positive": {
        "en": "Love it",
        "fr": "Superbe",
        "de": "Toll",
        "es": "Precioso",
        "zh-hans": "很喜欢",
        "ja": "満足",
        "ar": "رائع",
    },
    "neutral": {
        "en": "Okay",
        "fr": "Correct",
        "de": "Okay",
        "es": "Normal",
        "zh-hans": "一般",
        "ja": "普通",
        "ar": "عادي",
    },
    "negative": {
        "en": "Disappointed",
        "fr": "Déçue",
        "de": "Enttäuscht",
        "es": "Decepcionada",
        "zh-hans": "失望",
        "ja": "残念",
        "ar": "مخيب",
    },
}
LANGUAGE_WEIGHTS = {"en": 30, "fr": 14, "de": 12, "es": 10, "zh-hans": 14, "ja": 12, "ar": 8}
STARS = {"positive": (4, 5, 5), "neutral": (3,), "negative": (1, 1, 2)}
ANONYMOUS_NAMES = ("Sam", "Léa", "Jonas", "Lucía", "Wei", "Yui", "Omar", "Emma", "Noah", "Ines")


def _rng(seed: int) -> random.Random:
    digest = hashlib.sha256(f"{seed}:reviews".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _review_text(rng: random.Random, language: str, sentiment: str) -> str:
    sentences = [rng.choice(OPENINGS[language][sentiment])]
    aspects = rng.sample(sorted(ASPECT_SENTENCES), k=rng.choice((1, 1, 2)))
    for aspect in aspects:
        praise, complaint = ASPECT_SENTENCES[aspect][language]
        if sentiment == "positive":
            sentences.append(praise)
        elif sentiment == "negative":
            sentences.append(complaint)
        else:
            sentences.append(rng.choice((praise, complaint)))
    separator = "" if language in ("zh-hans", "ja") else " "
    return separator.join(sentences)


def _sentiment(rng: random.Random, bias: float) -> str:
    roll = rng.random() + bias
    if roll < 0.22:
        return "negative"
    if roll < 0.40:
        return "neutral"
    return "positive"


def seed_reviews(*, seed: int, now: datetime | None = None) -> dict[str, int]:
    """Creates the demo reviews (none if the store already has reviews); returns counts."""
    if reviews_exist():
        return {"reviews": 0}
    now = now or timezone.now()
    rng = _rng(seed)
    products = list(
        Product.objects.filter(status=PublicationStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not products:
        return {"reviews": 0}
    customers = list(
        get_user_model()
        .objects.filter(is_staff=False)
        .order_by("pk")
        .values_list("pk", "first_name")
    )
    bought = set(
        OrderLine.objects.filter(
            order__status__in=("paid", "processing", "shipped", "delivered"),
            order__user__isnull=False,
        ).values_list("order__user_id", "variant__product_id")
    )
    languages = list(LANGUAGE_WEIGHTS)
    weights = [LANGUAGE_WEIGHTS[code] for code in languages]
    reviewed = rng.sample(products, k=max(1, len(products) // 3))
    troubled = set(reviewed[:2])  # good start, recent complaints: a sentiment drop
    rows: list[dict] = []
    taken: set[tuple[int, int]] = set()
    for index, product_id in enumerate(reviewed):
        bias = rng.uniform(-0.25, 0.2)
        count = 1 + int(rng.paretovariate(1.6)) if product_id not in troubled else 10
        for number in range(min(count, 12)):
            if product_id in troubled:
                recent = number >= 5
                sentiment = "negative" if recent else "positive"
                days = rng.uniform(1, 25) if recent else rng.uniform(40, 300)
            else:
                sentiment = _sentiment(rng, bias)
                days = rng.uniform(0, 365)
            language = rng.choices(languages, weights)[0]
            author_id, author_name = None, rng.choice(ANONYMOUS_NAMES)
            if customers and rng.random() < 0.7:
                candidate_id, first_name = rng.choice(customers)
                if (candidate_id, product_id) not in taken:
                    taken.add((candidate_id, product_id))
                    author_id, author_name = candidate_id, first_name or author_name
            roll = rng.random()
            status = (
                ReviewStatus.APPROVED
                if roll < 0.9
                else ReviewStatus.PENDING
                if roll < 0.97
                else ReviewStatus.REJECTED
            )
            rows.append(
                {
                    "product_id": product_id,
                    "author_id": author_id,
                    "author_name": author_name,
                    "rating": rng.choice(STARS[sentiment]),
                    "title": TITLES[sentiment][language] if rng.random() < 0.6 else "",
                    "text": _review_text(rng, language, sentiment),
                    "language": language,
                    "status": status,
                    "is_verified_purchase": author_id is not None
                    and (author_id, product_id) in bought,
                    "created_at": now - timedelta(days=days, minutes=index),
                }
            )
    # Written through the reviews app's service, which starts the bulk scoring job.
    return {"reviews": reviews_bulk_load(rows=rows)}
