"""The built-in start: a small multilingual seed set of labelled review sentences.

Before the store has trained a model on its own reviews, the default scorer is the sentence
encoder with a logistic regression fitted on these sentences (fitted once per process, in a
second or two). The encoder puts all languages in one space, so the seed set gives sensible
scores in every language of the store from a fresh machine.
"""

from __future__ import annotations

import threading

SEED: dict[str, dict[str, list[str]]] = {
    "positive": {
        "en": [
            "I love this ring, it is beautiful.",
            "Absolutely stunning necklace, exactly as pictured.",
            "Great quality, it sparkles and feels solid.",
            "Fast shipping and lovely packaging.",
            "My wife adores it, perfect gift.",
            "Excellent value for the price.",
            "Fits perfectly and looks elegant.",
            "The seller was very helpful and friendly.",
            "Five stars, would buy again.",
            "Very happy with my purchase, highly recommend.",
            "Arrived quickly, beautifully wrapped.",
            "Works great, exactly what I needed.",
        ],
        "fr": [
            "Magnifique bague, je l'adore.",
            "Très bonne qualité, je recommande.",
            "Livraison rapide et emballage soigné.",
            "Parfait, conforme à la description.",
            "Superbe cadeau, ma femme est ravie.",
        ],
        "de": [
            "Wunderschöner Ring, ich bin begeistert.",
            "Sehr gute Qualität, absolut empfehlenswert.",
            "Schnelle Lieferung und schöne Verpackung.",
            "Passt perfekt, top Preis-Leistung.",
            "Alles bestens, gerne wieder.",
        ],
        "es": [
            "Me encanta, es precioso.",
            "Muy buena calidad, lo recomiendo.",
            "Envío rápido y bien empaquetado.",
            "Perfecto, tal como en la foto.",
            "Un regalo ideal, muy contenta.",
        ],
        "zh-hans": [
            "非常漂亮，很喜欢。",
            "质量很好，推荐购买。",
            "物流很快，包装精美。",
            "性价比高，非常满意。",
            "跟图片一样，好评。",
        ],
        "ja": [
            "とても綺麗で気に入りました。",
            "品質が良く、おすすめです。",
            "発送が早く、梱包も丁寧でした。",
            "サイズもぴったりで満足です。",
            "プレゼントにして喜ばれました。",
        ],
        "ar": [
            "خاتم جميل جدا، أحببته.",
            "جودة ممتازة، أنصح به.",
            "توصيل سريع وتغليف رائع.",
        ],
    },
    "neutral": {
        "en": [
            "It is okay, nothing special.",
            "Average quality for the price.",
            "Decent, but smaller than I expected.",
            "It does the job, but I expected more.",
            "Not bad, not great.",
            "The ring is fine but the clasp is a bit loose.",
            "Looks nice, though the colour is slightly different.",
            "Acceptable, three stars.",
            "Some good points and some bad ones.",
            "It is alright for everyday wear.",
        ],
        "fr": [
            "Correct, sans plus.",
            "Qualité moyenne pour le prix.",
            "Pas mal, mais un peu petit.",
            "Bien, mais je m'attendais à mieux.",
        ],
        "de": [
            "Ganz okay, nichts Besonderes.",
            "Durchschnittliche Qualität für den Preis.",
            "Nicht schlecht, aber etwas klein.",
            "Geht so, hatte mehr erwartet.",
        ],
        "es": [
            "Está bien, nada especial.",
            "Calidad normal para el precio.",
            "No está mal, pero es algo pequeño.",
            "Aceptable, esperaba algo más.",
        ],
        "zh-hans": [
            "一般般，没什么特别的。",
            "质量一般，价格还行。",
            "还可以，就是有点小。",
            "中规中矩吧。",
        ],
        "ja": [
            "普通です。特に良くも悪くもない。",
            "値段相応の品質です。",
            "悪くはないが、少し小さい。",
            "まあまあです。",
        ],
        "ar": [
            "لا بأس به، عادي.",
            "جودة متوسطة مقابل السعر.",
        ],
    },
    "negative": {
        "en": [
            "Terrible quality, it broke after two days.",
            "Very disappointed, it looks cheap.",
            "The ring turned my finger green.",
            "Shipping took forever and the box was damaged.",
            "Way too small and the seller never replied.",
            "Not worth the money, returning it.",
            "The stone fell out the first week.",
            "Do not buy, complete waste of money.",
            "Arrived broken and customer service was rude.",
            "It stopped working after a month.",
            "Poor craftsmanship, the plating faded quickly.",
            "Nothing like the picture, awful.",
        ],
        "fr": [
            "Très déçue, la qualité est médiocre.",
            "Cassé au bout de deux jours.",
            "Livraison très lente et colis abîmé.",
            "Ne vaut pas son prix, à éviter.",
            "Le vendeur ne répond pas, remboursement refusé.",
        ],
        "de": [
            "Sehr enttäuscht, schlechte Qualität.",
            "Nach zwei Tagen kaputt.",
            "Lieferung dauerte ewig, Verpackung beschädigt.",
            "Viel zu teuer für das, was man bekommt.",
            "Finger wurde grün, nicht kaufen.",
        ],
        "es": [
            "Muy decepcionada, mala calidad.",
            "Se rompió a los dos días.",
            "El envío tardó muchísimo y llegó dañado.",
            "No vale lo que cuesta, no lo recomiendo.",
            "El vendedor no contesta, fatal.",
        ],
        "zh-hans": [
            "质量太差了，很失望。",
            "两天就坏了。",
            "物流太慢，包装破损。",
            "不值这个价，不推荐。",
            "客服态度很差，退款也不给。",
        ],
        "ja": [
            "品質が悪く、がっかりしました。",
            "二日で壊れました。",
            "届くのが遅く、箱も潰れていました。",
            "値段に見合わない。おすすめしません。",
            "すぐに変色しました。最悪です。",
        ],
        "ar": [
            "جودة سيئة جدا، خيبة أمل.",
            "انكسر بعد يومين.",
            "الشحن بطيء جدا والعلبة تالفة.",
        ],
    },
}


# General product-review sentences (the store's reviews are not only about jewelry).
EXTRA: dict[str, dict[str, list[str]]] = {
    "positive": {
        "en": [
            "Works exactly as described.",
            "Good product, arrived on time.",
            "Really nice, my daughter loves it.",
            "Solid and well made, worth every penny.",
            "Exactly what I was looking for.",
        ],
        "fr": [
            "Fonctionne parfaitement, rien à redire.",
            "Produit conforme, arrivé à temps.",
            "Très pratique, je suis satisfait.",
            "Excellent achat, je recommande vivement.",
        ],
        "de": [
            "Funktioniert einwandfrei.",
            "Gutes Produkt, pünktlich geliefert.",
            "Genau wie beschrieben, sehr zufrieden.",
            "Klare Kaufempfehlung.",
        ],
        "es": [
            "Funciona perfectamente.",
            "Buen producto, llegó a tiempo.",
            "Justo lo que buscaba, muy satisfecho.",
            "Excelente compra, lo recomiendo.",
        ],
        "zh-hans": [
            "东西不错，和描述一致。",
            "用起来很方便，很满意。",
            "做工精细，值得购买。",
            "发货快，东西很好，好评。",
        ],
        "ja": [
            "説明通りの商品で満足しています。",
            "使いやすくて便利です。",
            "値段以上の価値があります。",
            "また購入したいと思います。",
        ],
    },
    "neutral": {
        "en": [
            "It works, but the instructions are poor.",
            "Good idea, average execution.",
            "Fine for the price, don't expect much.",
            "Some parts are good, some are not.",
        ],
        "fr": [
            "Ça fonctionne, mais la notice est mauvaise.",
            "Bof, ça fait le travail.",
            "Moyen, ni bien ni mal.",
        ],
        "de": [
            "Funktioniert, aber die Anleitung ist schlecht.",
            "Mittelmäßig, für den Preis okay.",
            "Teils gut, teils schlecht.",
        ],
        "es": [
            "Funciona, pero las instrucciones son malas.",
            "Regular, cumple sin más.",
            "Ni bueno ni malo.",
        ],
        "zh-hans": ["能用，但是说明书不清楚。", "东西还行，有些小问题。", "质量一般，凑合用吧。"],
        "ja": [
            "使えますが、説明書が分かりにくいです。",
            "可もなく不可もなく。",
            "値段なりですね。",
        ],
    },
    "negative": {
        "en": [
            "Stopped working after a week.",
            "Arrived damaged and incomplete.",
            "Cheap plastic, broke immediately.",
            "Returned it, does not work.",
            "Worst purchase I have made.",
        ],
        "fr": [
            "Ne fonctionne plus au bout d'une semaine.",
            "Arrivé endommagé et incomplet.",
            "Produit de mauvaise qualité, renvoyé.",
            "Arnaque, ne fonctionne pas.",
        ],
        "de": [
            "Nach einer Woche defekt.",
            "Beschädigt und unvollständig angekommen.",
            "Billiges Plastik, sofort zerbrochen.",
            "Zurückgeschickt, funktioniert nicht.",
        ],
        "es": [
            "Dejó de funcionar a la semana.",
            "Llegó dañado e incompleto.",
            "Plástico barato, se rompió enseguida.",
            "Lo devolví, no funciona.",
        ],
        "zh-hans": [
            "用了一个星期就坏了。",
            "收到的时候已经破损了。",
            "完全不能用，差评。",
            "假货，千万别买。",
        ],
        "ja": [
            "一週間で動かなくなりました。",
            "届いた時点で破損していました。",
            "全く使えません。返品しました。",
            "安物です。買って後悔しました。",
        ],
    },
}


def seed_examples() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for table in (SEED, EXTRA):
        for label, by_language in table.items():
            for sentences in by_language.values():
                texts.extend(sentences)
                labels.extend([label] * len(sentences))
    return texts, labels


_builtin = None
_lock = threading.Lock()


def builtin_model():
    """The encoder + logistic regression fitted on the seed set (once per process)."""
    global _builtin
    if _builtin is None:
        with _lock:
            if _builtin is None:
                from .model import SentimentModel

                texts, labels = seed_examples()
                _builtin = SentimentModel(char_ngrams=False, c=0.5).fit(texts, labels)
    return _builtin


def clear_builtin() -> None:
    global _builtin
    with _lock:
        _builtin = None
