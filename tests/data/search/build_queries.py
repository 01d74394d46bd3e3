"""Builds queries.jsonl: judged search queries over the demo catalog (`manage.py seed_demo`).

Each query below comes with what it asks for, in catalog attributes (category and the ones
below it, gemstone, metal, purity, price limit, words of the product's design in its
handle). The relevant products are the published demo products having those attributes,
found by a database query, never by the ranker. Run on a freshly seeded demo store:

    python manage.py shell < tests/data/search/build_queries.py

Prices in a spec are in the query's currency and converted with the store's exchange rates,
as the store converts them.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db.models import Q

from catalog.models import Category, Product, PublicationStatus
from shop.money import exchange_rates

RINGS = ["rings"]
EARRINGS = ["earrings"]
NECKLACES = ["necklaces"]
BRACELETS = ["bracelets"]
GOLD = ["yellow-gold", "white-gold", "rose-gold"]

# (language, query, spec)
QUERIES = [
    # English
    ("en", "sapphire ring", {"category": RINGS, "gem": ["sapphire"]}),
    ("en", "diamond stud earrings", {"category": ["studs"], "gem": ["diamond"]}),
    ("en", "rose gold necklace", {"category": NECKLACES, "metal": ["rose-gold"]}),
    ("en", "platinum wedding band", {"category": ["wedding-bands"], "metal": ["platinum"]}),
    ("en", "pearl earrings under 500", {"category": EARRINGS, "gem": ["pearl"], "max": 500}),
    ("en", "emerald engagement ring", {"category": ["engagement-rings"], "gem": ["emerald"]}),
    ("en", "saphire neckalce", {"category": NECKLACES, "gem": ["sapphire"]}),
    ("en", "tennis bracelet", {"category": ["tennis-bracelets"]}),
    (
        "en",
        "blue gemstone earrings",
        {"category": EARRINGS, "gem": ["sapphire", "aquamarine", "topaz", "tanzanite"]},
    ),
    (
        "en",
        "18k white gold diamond halo ring",
        {
            "category": RINGS,
            "gem": ["diamond"],
            "metal": ["white-gold"],
            "purity": "18K",
            "words": ["halo"],
        },
    ),
    ("en", "sterling silver anklet", {"category": ["anklets"], "metal": ["sterling-silver"]}),
    # French
    ("fr", "bague saphir", {"category": RINGS, "gem": ["sapphire"]}),
    ("fr", "boucles d'oreilles en perles", {"category": EARRINGS, "gem": ["pearl"]}),
    ("fr", "collier or rose", {"category": NECKLACES, "metal": ["rose-gold"]}),
    ("fr", "alliance platine", {"category": ["wedding-bands"], "metal": ["platinum"]}),
    (
        "fr",
        "bague de fiançailles diamant moins de 2000 €",
        {"category": ["engagement-rings"], "gem": ["diamond"], "max": 2000, "currency": "EUR"},
    ),
    ("fr", "pendentif rubis", {"category": ["pendants"], "gem": ["ruby"]}),
    ("fr", "créoles en or jaune", {"category": ["hoops"], "metal": ["yellow-gold"]}),
    ("fr", "bracelet rivière", {"category": ["tennis-bracelets"]}),
    ("fr", "broche améthyste", {"category": ["brooches"], "gem": ["amethyst"]}),
    ("fr", "bijoux en argent", {"metal": ["sterling-silver"]}),
    # German
    ("de", "Saphirring", {"category": RINGS, "gem": ["sapphire"]}),
    ("de", "Ohrstecker mit Diamanten", {"category": ["studs"], "gem": ["diamond"]}),
    ("de", "Halskette aus Roségold", {"category": NECKLACES, "metal": ["rose-gold"]}),
    ("de", "Trauring Platin", {"category": ["wedding-bands"], "metal": ["platinum"]}),
    (
        "de",
        "Perlenohrringe unter 500",
        {"category": EARRINGS, "gem": ["pearl"], "max": 500, "currency": "EUR"},
    ),
    ("de", "Verlobungsring Smaragd", {"category": ["engagement-rings"], "gem": ["emerald"]}),
    ("de", "Armreif Gelbgold", {"category": ["bangles"], "metal": ["yellow-gold"]}),
    ("de", "Tennisarmband", {"category": ["tennis-bracelets"]}),
    ("de", "Fußkettchen Silber", {"category": ["anklets"], "metal": ["sterling-silver"]}),
    ("de", "Anhänger Topas", {"category": ["pendants"], "gem": ["topaz"]}),
    # Spanish
    ("es", "anillo de zafiro", {"category": RINGS, "gem": ["sapphire"]}),
    ("es", "pendientes de diamantes", {"category": EARRINGS, "gem": ["diamond"]}),
    ("es", "collar de oro rosa", {"category": NECKLACES, "metal": ["rose-gold"]}),
    ("es", "alianza de platino", {"category": ["wedding-bands"], "metal": ["platinum"]}),
    (
        "es",
        "pendientes de perlas menos de 500 €",
        {"category": EARRINGS, "gem": ["pearl"], "max": 500, "currency": "EUR"},
    ),
    (
        "es",
        "anillo de compromiso esmeralda",
        {"category": ["engagement-rings"], "gem": ["emerald"]},
    ),
    ("es", "pulsera tenis", {"category": ["tennis-bracelets"]}),
    ("es", "aros de oro amarillo", {"category": ["hoops"], "metal": ["yellow-gold"]}),
    ("es", "tobillera de plata", {"category": ["anklets"], "metal": ["sterling-silver"]}),
    ("es", "broche de amatista", {"category": ["brooches"], "gem": ["amethyst"]}),
    # Japanese
    ("ja", "サファイアの指輪", {"category": RINGS, "gem": ["sapphire"]}),
    ("ja", "ダイヤモンドのスタッドピアス", {"category": ["studs"], "gem": ["diamond"]}),
    ("ja", "ローズゴールドのネックレス", {"category": NECKLACES, "metal": ["rose-gold"]}),
    ("ja", "プラチナの結婚指輪", {"category": ["wedding-bands"], "metal": ["platinum"]}),
    (
        "ja",
        "パールのピアス 50000円以下",
        {"category": EARRINGS, "gem": ["pearl"], "max": 50000, "currency": "JPY"},
    ),
    ("ja", "エメラルドの婚約指輪", {"category": ["engagement-rings"], "gem": ["emerald"]}),
    ("ja", "テニスブレスレット", {"category": ["tennis-bracelets"]}),
    ("ja", "ルビーのペンダント", {"category": ["pendants"], "gem": ["ruby"]}),
    ("ja", "シルバーのアンクレット", {"category": ["anklets"], "metal": ["sterling-silver"]}),
    ("ja", "イエローゴールドのバングル", {"category": ["bangles"], "metal": ["yellow-gold"]}),
    # Simplified Chinese
    ("zh-hans", "蓝宝石戒指", {"category": RINGS, "gem": ["sapphire"]}),
    ("zh-hans", "钻石耳钉", {"category": ["studs"], "gem": ["diamond"]}),
    ("zh-hans", "玫瑰金项链", {"category": NECKLACES, "metal": ["rose-gold"]}),
    ("zh-hans", "铂金婚戒", {"category": ["wedding-bands"], "metal": ["platinum"]}),
    (
        "zh-hans",
        "珍珠耳环 3000元以下",
        {"category": EARRINGS, "gem": ["pearl"], "max": 3000, "currency": "CNY"},
    ),
    ("zh-hans", "祖母绿订婚戒指", {"category": ["engagement-rings"], "gem": ["emerald"]}),
    ("zh-hans", "网球手链", {"category": ["tennis-bracelets"]}),
    ("zh-hans", "红宝石吊坠", {"category": ["pendants"], "gem": ["ruby"]}),
    ("zh-hans", "银脚链", {"category": ["anklets"], "metal": ["sterling-silver"]}),
    (
        "zh-hans",
        "18K白金钻石戒指",
        {"category": RINGS, "gem": ["diamond"], "metal": ["white-gold"], "purity": "18K"},
    ),
    # Arabic
    ("ar", "خاتم ياقوت أزرق", {"category": RINGS, "gem": ["sapphire"]}),
    ("ar", "أقراط ألماس", {"category": EARRINGS, "gem": ["diamond"]}),
    ("ar", "قلادة من الذهب الوردي", {"category": NECKLACES, "metal": ["rose-gold"]}),
    ("ar", "دبلة زفاف بلاتين", {"category": ["wedding-bands"], "metal": ["platinum"]}),
    (
        "ar",
        "أقراط لؤلؤ أقل من 2000 درهم",
        {"category": EARRINGS, "gem": ["pearl"], "max": 2000, "currency": "AED"},
    ),
    ("ar", "خاتم خطوبة زمرد", {"category": ["engagement-rings"], "gem": ["emerald"]}),
    ("ar", "سوار تنس", {"category": ["tennis-bracelets"]}),
    ("ar", "دلاية ياقوت أحمر", {"category": ["pendants"], "gem": ["ruby"]}),
    ("ar", "خلخال فضة", {"category": ["anklets"], "metal": ["sterling-silver"]}),
    ("ar", "بروش جمشت", {"category": ["brooches"], "gem": ["amethyst"]}),
    # Harder: design words, colours, typos, price ranges, queries in another language
    ("en", "huggie hoops", {"category": ["hoops"], "words": ["huggie"]}),
    (
        "en",
        "three stone engagement ring",
        {"category": ["engagement-rings"], "words": ["three", "stone"]},
    ),
    ("en", "red stone ring", {"category": RINGS, "gem": ["ruby", "garnet"]}),
    ("en", "diamnod earings", {"category": EARRINGS, "gem": ["diamond"]}),
    ("en", "platnum band", {"category": ["wedding-bands"], "metal": ["platinum"]}),
    ("fr", "bague halo", {"category": RINGS, "words": ["halo"]}),
    ("fr", "boucles d'oreilles pendantes perle", {"category": ["drops"], "gem": ["pearl"]}),
    ("fr", "collier emeraude", {"category": NECKLACES, "gem": ["emerald"]}),
    ("de", "Diamant Solitär Ring", {"category": RINGS, "gem": ["diamond"], "words": ["solitaire"]}),
    (
        "de",
        "Ohrringe zwischen 200 und 500 Euro",
        {"category": EARRINGS, "min": 200, "max": 500, "currency": "EUR"},
    ),
    ("es", "anillo eternidad", {"category": RINGS, "words": ["eternity"]}),
    ("es", "colgante de corazón", {"category": ["pendants"], "words": ["heart"]}),
    (
        "es",
        "pulsera de oro entre 500 y 1000",
        {"category": BRACELETS, "metal": GOLD, "min": 500, "max": 1000, "currency": "EUR"},
    ),
    ("ja", "ハートのペンダント", {"category": ["pendants"], "words": ["heart"]}),
    ("ja", "sapphire ring", {"category": RINGS, "gem": ["sapphire"]}),
    ("zh-hans", "心形吊坠", {"category": ["pendants"], "words": ["heart"]}),
    ("zh-hans", "diamond earrings", {"category": EARRINGS, "gem": ["diamond"]}),
    ("ar", "خاتم سوليتير ألماس", {"category": RINGS, "gem": ["diamond"], "words": ["solitaire"]}),
    ("ar", "أقراط دائرية ذهب", {"category": ["hoops"], "metal": GOLD}),
]


def _below(slugs):
    ids = set(Category.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    while True:
        more = set(Category.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
        if more <= ids:
            return ids
        ids |= more


def relevant(spec) -> list[str]:
    products = Product.objects.filter(status=PublicationStatus.PUBLISHED)
    if "category" in spec:
        products = products.filter(category_id__in=_below(spec["category"]))
    if "gem" in spec:
        products = products.filter(gemstones__gemstone_type__slug__in=spec["gem"])
    if "metal" in spec:
        products = products.filter(variants__metal__slug__in=spec["metal"])
    if "purity" in spec:
        products = products.filter(variants__purity=spec["purity"])
    if "purity" in spec and "metal" in spec:
        products = products.filter(
            variants__metal__slug__in=spec["metal"], variants__purity=spec["purity"]
        )
    if "min" in spec:
        rate = exchange_rates().get(spec.get("currency", "USD"), Decimal(1))
        products = products.filter(price_min__gte=Decimal(spec["min"]) / rate)
    if "max" in spec:
        rate = exchange_rates().get(spec.get("currency", "USD"), Decimal(1))
        products = products.filter(price_min__lte=Decimal(spec["max"]) / rate)
    for word in spec.get("words", []):
        products = products.filter(Q(handle__contains=word))
    return sorted(set(products.values_list("handle", flat=True)))


def build(path: Path) -> None:
    lines = []
    for language, query, spec in QUERIES:
        handles = relevant(spec)
        if not handles:
            raise SystemExit(f"No relevant product for {query!r}: fix its spec")
        lines.append(
            json.dumps(
                {"query": query, "language": language, "relevant": handles, "spec": spec},
                ensure_ascii=False,
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} queries written to {path}")


build(Path("tests/data/search/queries.jsonl"))
