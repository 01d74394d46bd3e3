"""Aspects of a review (quality, size/fit, shipping, packaging, price, service), found with
multilingual keyword lists and scored sentence by sentence.

A sentence mentions an aspect when it contains one of the aspect's keywords (whole words for
Latin and Arabic script, substrings for Chinese and Japanese). Each mentioning sentence is
scored by the review scorer; an aspect's sentiment is the mean of its sentences' scores.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

ASPECTS = ("quality", "size_fit", "shipping", "packaging", "price", "service")
ASPECT_LABELS = {
    "quality": _("Quality"),
    "size_fit": _("Size and fit"),
    "shipping": _("Shipping"),
    "packaging": _("Packaging"),
    "price": _("Price"),
    "service": _("Service"),
}


def _terms(text: str) -> list[str]:
    """Keywords written "a | b | c" (a keyword may contain spaces)."""
    return [term.strip() for term in text.split("|") if term.strip()]


# Word stems (Latin/Arabic scripts: matched at the start of a word) and CJK substrings.
KEYWORDS: dict[str, dict[str, list[str]]] = {
    "quality": {
        "en": _terms(
            "quality | material | craftsmanship | made | tarnish | broke | broken | durable | "
            "flimsy | sturdy | cheap looking | well made | finish | shine | sparkl | scratch "
            "| plating | clasp | stone | fell off | faded | rust"
        ),
        "fr": _terms(
            "qualité | matériau | matière | finition | cassé | solide | fragile | brill | "
            "terni | rayure | fermoir | pierre | plaqué | rouill"
        ),
        "de": _terms(
            "qualität | material | verarbeitung | verarbeitet | kaputt | gebrochen | stabil | "
            "zerbrechlich | glänz | glanz | kratzer | verschluss | stein | angelaufen | rost"
        ),
        "es": _terms(
            "calidad | material | acabado | roto | rompi | resistente | frágil | brill | "
            "rayado | cierre | piedra | chapado | oxid"
        ),
        "zh-hans": _terms(
            "质量 | 品质 | 做工 | 材质 | 材料 | 断 | 坏 | "
            "掉色 | 褪色 | 生锈 | 划痕 | 光泽 | 闪 | 扣"
        ),
        "ja": _terms(
            "品質 | 質 | 作り | 素材 | 壊れ | 折れ | 錆 | さび | "
            "変色 | 傷 | 輝 | 留め具 | メッキ | 丈夫 | 安っぽ"
        ),
        "ar": _terms("جودة | الجودة | خامة | الخامة | مكسور | انكسر | صدأ | لمعان | متين"),
    },
    "size_fit": {
        "en": _terms(
            "size | fit | small | big | large | tight | loose | length | short | long | snug "
            "| ring size | too short | sizing"
        ),
        "fr": _terms(
            "taille | petit | grand | serré | large | longueur | court | long | ajust | pointure"
        ),
        "de": _terms(
            "größe | grösse | passt | passform | klein | groß | gross | eng | weit | länge | "
            "kurz | lang"
        ),
        "es": _terms(
            "talla | tamaño | pequeñ | grande | ajust | apretad | suelt | largo | corto | medida"
        ),
        "zh-hans": _terms(
            "尺寸 | 尺码 | 大小 | 太小 | 太大 | 偏小 | 偏大 | 长度 | 太短 | 太长 | 合适 | 紧 | 松"
        ),
        "ja": _terms("サイズ | 大きさ | 小さ | 大き | きつ | ゆる | 長さ | 短 | ぴったり"),
        "ar": _terms("مقاس | المقاس | حجم | الحجم | صغير | كبير | ضيق | واسع | طول"),
    },
    "shipping": {
        "en": _terms(
            "shipping | shipped | delivery | delivered | arrived | arrival | late | courier | "
            "tracking | package arrived | days to | weeks to | lost"
        ),
        "fr": _terms(
            "livraison | livré | expédi | arrivé | reçu | retard | colis | délai | transporteur"
        ),
        "de": _terms(
            "lieferung | geliefert | versand | verschickt | angekommen | kam | verspät | "
            "zustell | paket | lieferzeit"
        ),
        "es": _terms(
            "envío | envio | entrega | entregad | llegó | llego | tardó | retraso | paquete | "
            "mensajer"
        ),
        "zh-hans": _terms("物流 | 快递 | 发货 | 送货 | 到货 | 配送 | 收到 | 很快就到 | 慢"),
        "ja": _terms("配送 | 発送 | 届 | 到着 | 配達 | 遅 | 早く着"),
        "ar": _terms("شحن | الشحن | توصيل | التوصيل | وصل | وصلت | تأخر"),
    },
    "packaging": {
        "en": _terms(
            "packaging | packaged | box | package | wrapped | wrapping | gift box | pouch | bag"
        ),
        "fr": _terms("emballage | emballé | boîte | boite | écrin | pochette | paquet"),
        "de": _terms("verpackung | verpackt | schachtel | box | etui | beutel | schatulle"),
        "es": _terms("embalaje | empaque | empaquetad | caja | estuche | envoltorio | bolsita"),
        "zh-hans": _terms("包装 | 盒子 | 礼盒 | 包裹 | 袋"),
        "ja": _terms("梱包 | 包装 | 箱 | パッケージ | ラッピング | 袋"),
        "ar": _terms("تغليف | التغليف | علبة | العلبة | صندوق"),
    },
    "price": {
        "en": _terms(
            "price | priced | cheap | expensive | value | money | worth | cost | overpriced | "
            "bargain | affordable"
        ),
        "fr": _terms("prix | cher | coût | rapport qualité | bon marché | argent | vaut"),
        "de": _terms("preis | teuer | günstig | billig | geld | wert | kosten | preis-leistung"),
        "es": _terms(
            "precio | caro | barato | dinero | vale la pena | valor | coste | costo | económico"
        ),
        "zh-hans": _terms("价格 | 价钱 | 便宜 | 贵 | 性价比 | 值 | 划算"),
        "ja": _terms("価格 | 値段 | 安い | 安く | 高い | 高く | コスパ | お値段 | 値"),
        "ar": _terms("سعر | السعر | غالي | رخيص | ثمن | قيمة"),
    },
    "service": {
        "en": _terms(
            "service | seller | support | customer service | refund | return | replied | "
            "response | responsive | helpful | rude | contacted | store"
        ),
        "fr": _terms(
            "service | vendeur | remboursement | retour | répondu | réponse | serviable | sav "
            "| boutique"
        ),
        "de": _terms(
            "service | kundendienst | verkäufer | händler | erstattung | rückgabe | "
            "zurückgeschickt | antwort | geantwortet | freundlich | support"
        ),
        "es": _terms(
            "servicio | vendedor | atención | reembolso | devolución | devolver | respuesta | "
            "respondi | amable | tienda"
        ),
        "zh-hans": _terms("客服 | 服务 | 卖家 | 商家 | 退款 | 退货 | 态度 | 回复"),
        "ja": _terms("対応 | サービス | 出品者 | 販売者 | 返金 | 返品 | ショップ | 問い合わせ"),
        "ar": _terms("خدمة | الخدمة | البائع | استرجاع | استرداد | الدعم | تعامل"),
    },
}

_CONTRAST = re.compile(
    r"\b(?:but|however|though|although|mais|cependant|pourtant|aber|jedoch|allerdings|"
    r"pero|sin embargo|aunque)\b|但是|但|不过|可是|けど|しかし|ただ|でも|لكن",
    re.I,
)


def split_sentences(text: str) -> list[str]:
    """Sentences, also cut before a contrast word ("nice ring but the clasp broke")."""
    parts: list[str] = []
    for sentence in re.split(r"(?<=[.!?。！？;；\n])", text or ""):
        start = 0
        for match in _CONTRAST.finditer(sentence):
            if match.start() > start:
                parts.append(sentence[start : match.start()])
                start = match.start()
        parts.append(sentence[start:])
    return [part.strip(" \t\r\n,，、") for part in parts if part.strip(" \t\r\n,，、.。!?！？")]


def _is_cjk(keyword: str) -> bool:
    return any(ord(char) >= 0x2E80 for char in keyword) and not any(
        0x0600 <= ord(char) <= 0x06FF for char in keyword
    )


def _compile() -> dict[str, re.Pattern]:
    patterns = {}
    for aspect, by_language in KEYWORDS.items():
        cjk, words = [], []
        for keywords in by_language.values():
            for keyword in keywords:
                (cjk if _is_cjk(keyword) else words).append(re.escape(keyword.lower()))
        alternatives = []
        if words:
            # A stem matches at the start of a word: "sparkl" finds "sparkling".
            alternatives.append(
                r"(?<!\w)(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"
            )
        if cjk:
            alternatives.append("(?:" + "|".join(sorted(cjk, key=len, reverse=True)) + ")")
        patterns[aspect] = re.compile("|".join(alternatives))
    return patterns


_PATTERNS = _compile()


def aspects_mentioned(sentence: str) -> list[str]:
    """The aspects a sentence talks about (any language), in ASPECTS order."""
    lowered = (sentence or "").lower()
    return [aspect for aspect in ASPECTS if _PATTERNS[aspect].search(lowered)]


def aspect_sentiment(
    texts: list[str], score_sentences: Callable[[list[str]], list[float]]
) -> list[dict[str, dict]]:
    """Per text: {aspect: {"label", "score", "mentions"}} for the aspects it mentions.

    `score_sentences` maps sentences to scores in [-1, 1] (one batched call for all texts).
    """
    mentions: list[tuple[int, str, int]] = []  # (text index, aspect, sentence index)
    sentences: list[str] = []
    for index, text in enumerate(texts):
        for sentence in split_sentences(text):
            found = aspects_mentioned(sentence)
            if found:
                sentences.append(sentence)
                mentions.extend((index, aspect, len(sentences) - 1) for aspect in found)
    results: list[dict[str, dict]] = [{} for _text in texts]
    if not sentences:
        return results
    scores = score_sentences(sentences)
    sums: dict[tuple[int, str], list[float]] = {}
    for index, aspect, sentence_index in mentions:
        sums.setdefault((index, aspect), []).append(float(scores[sentence_index]))
    for (index, aspect), values in sums.items():
        mean = sum(values) / len(values)
        results[index][aspect] = {
            "label": label_for_score(mean),
            "score": round(mean, 3),
            "mentions": len(values),
        }
    return results


NEUTRAL_BAND = 0.2


def label_for_score(score: float) -> str:
    if score <= -NEUTRAL_BAND:
        return "negative"
    if score >= NEUTRAL_BAND:
        return "positive"
    return "neutral"


def extract_aspects(text: str) -> list[str]:
    """The aspects a review talks about (any sentence), in ASPECTS order."""
    found: set[str] = set()
    for sentence in split_sentences(text):
        found.update(aspects_mentioned(sentence))
    return [aspect for aspect in ASPECTS if aspect in found]
