"""The demo store: a believable multilingual jewelry catalog generated from a seed.

`seed_demo()` runs a list of steps (`STEPS`); each step gets its own random generator derived
from the seed and the step's name, so adding a step later (orders, reviews, ...) does not
change what the existing steps generate. A step receives the shared `DemoContext` (what the
earlier steps created) and returns the counts it reports.

Product texts are composed from per-language grammar tables below (names, metals, cuts,
gem genders and plurals), not machine-translated: each language orders the words its own way.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import (
    Category,
    Collection,
    GemstoneType,
    Material,
    Product,
    ProductGemstone,
    ProductImage,
    ProductVariant,
    PublicationStatus,
)

LANGS = ("en", "zh-hans", "fr", "de", "es", "ja", "ar")
DEFAULT_PRODUCTS = 540
DEFAULT_SEED = 42
IMAGE_SIZE = 640
MERCHANT_EMAIL = "merchant@example.com"

# =============================================================================================
# Taxonomy
# =============================================================================================

# slug, parent slug, names (en, zh-hans, fr, de, es, ja, ar), descriptions (same order)
CATEGORIES: tuple[tuple[str, str | None, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "rings",
        None,
        ("Rings", "戒指", "Bagues", "Ringe", "Anillos", "リング", "خواتم"),
        (
            "Engagement rings, wedding bands and cocktail rings in gold, platinum and silver.",
            "金、铂金与银质的订婚戒指、婚戒和鸡尾酒戒指。",
            "Bagues de fiançailles, alliances et bagues cocktail en or, platine et argent.",
            "Verlobungsringe, Trauringe und Cocktailringe aus Gold, Platin und Silber.",
            "Anillos de compromiso, alianzas y anillos cóctel en oro, platino y plata.",
            "ゴールド、プラチナ、シルバーのエンゲージリング、マリッジリング、カクテルリング。",
            "خواتم خطوبة ودبل زفاف وخواتم كوكتيل من الذهب والبلاتين والفضة.",
        ),
    ),
    (
        "engagement-rings",
        "rings",
        (
            "Engagement Rings",
            "订婚戒指",
            "Bagues de fiançailles",
            "Verlobungsringe",
            "Anillos de compromiso",
            "エンゲージリング",
            "خواتم الخطوبة",
        ),
        (
            "Solitaires, halos and three-stone rings with certified diamonds and precious "
            "gemstones.",
            "单石、光环与三石款式，镶嵌认证钻石与珍贵宝石。",
            "Solitaires, bagues halo et trilogies serties de diamants certifiés et de pierres "
            "précieuses.",
            "Solitärringe, Halo- und Trilogie-Ringe mit zertifizierten Diamanten und Edelsteinen.",
            "Solitarios, anillos halo y de tres piedras con diamantes certificados y piedras "
            "preciosas.",
            "鑑定書付きダイヤモンドや宝石をあしらったソリテール、ヘイロー、スリーストーンリング。",
            "خواتم سوليتير وهالة وثلاثية الأحجار مرصعة بألماس معتمد وأحجار كريمة.",
        ),
    ),
    (
        "wedding-bands",
        "rings",
        (
            "Wedding Bands",
            "婚戒",
            "Alliances",
            "Trauringe",
            "Alianzas",
            "マリッジリング",
            "دبل الزفاف",
        ),
        (
            "Classic, comfort-fit and eternity bands to wear every day, for life.",
            "经典款、舒适款与永恒戒指，适合日常佩戴，相伴一生。",
            "Alliances classiques, confort et éternité, à porter tous les jours, pour la vie.",
            "Klassische Trauringe, Ringe mit Komfortprofil und Memoire-Ringe für jeden Tag, "
            "ein Leben lang.",
            "Alianzas clásicas, de ajuste confort y eternidad para llevar cada día, toda la vida.",
            "毎日、一生身に着けられるクラシック、コンフォートフィット、エタニティリング。",
            "دبل كلاسيكية ومريحة وخواتم أبدية لترتديها كل يوم مدى الحياة.",
        ),
    ),
    (
        "cocktail-rings",
        "rings",
        (
            "Cocktail Rings",
            "鸡尾酒戒指",
            "Bagues cocktail",
            "Cocktailringe",
            "Anillos cóctel",
            "カクテルリング",
            "خواتم الكوكتيل",
        ),
        (
            "Statement rings with vivid coloured gemstones for evenings and celebrations.",
            "镶嵌鲜艳彩色宝石的个性戒指，适合晚宴与庆典。",
            "Des bagues spectaculaires aux pierres de couleur éclatantes, pour les soirées et "
            "les fêtes.",
            "Ausdrucksstarke Ringe mit leuchtenden Farbedelsteinen für Abende und Feste.",
            "Anillos llamativos con piedras de colores vivos para noches y celebraciones.",
            "鮮やかなカラーストーンが映える、パーティーやお祝いの席にぴったりのリング。",
            "خواتم لافتة بأحجار كريمة ملونة زاهية للسهرات والاحتفالات.",
        ),
    ),
    (
        "necklaces",
        None,
        ("Necklaces", "项链", "Colliers", "Halsketten", "Collares", "ネックレス", "قلائد"),
        (
            "Pendants and chains in gold, platinum and sterling silver.",
            "金、铂金与纯银吊坠及链条。",
            "Pendentifs et chaînes en or, platine et argent sterling.",
            "Anhänger und Ketten aus Gold, Platin und Sterlingsilber.",
            "Colgantes y cadenas de oro, platino y plata de ley.",
            "ゴールド、プラチナ、シルバーのペンダントとチェーン。",
            "دلايات وسلاسل من الذهب والبلاتين والفضة الإسترلينية.",
        ),
    ),
    (
        "pendants",
        "necklaces",
        ("Pendants", "吊坠", "Pendentifs", "Anhänger", "Colgantes", "ペンダント", "دلايات"),
        (
            "Solitaire, halo, heart and drop pendants, delivered on a matching chain.",
            "单石、光环、心形与水滴吊坠，附配套链条。",
            "Pendentifs solitaires, halo, cœur et gouttes, livrés avec leur chaîne assortie.",
            "Solitär-, Halo-, Herz- und Tropfenanhänger, geliefert an passender Kette.",
            "Colgantes solitarios, halo, de corazón y de gota, con su cadena a juego.",
            "ソリテール、ヘイロー、ハート、ドロップのペンダント。おそろいのチェーン付き。",
            "دلايات سوليتير وهالة وقلب وقطرة، تأتي مع سلسلة متناسقة.",
        ),
    ),
    (
        "chains",
        "necklaces",
        ("Chains", "链条", "Chaînes", "Ketten", "Cadenas", "チェーン", "سلاسل"),
        (
            "Cable, box and curb chains in several lengths, to wear alone or with a pendant.",
            "O字链、盒子链与侧身链，多种长度可选，可单戴或搭配吊坠。",
            "Chaînes forçat, vénitiennes et gourmettes en plusieurs longueurs, seules ou avec "
            "un pendentif.",
            "Anker-, Venezianer- und Panzerketten in mehreren Längen, solo oder mit Anhänger.",
            "Cadenas clásicas, venecianas y barbadas en varios largos, solas o con colgante.",
            "あずき、ベネチアン、喜平チェーンを複数の長さで。単体でもペンダントと合わせても。",
            "سلاسل بحلقات كلاسيكية ومربعة ومسطحة بأطوال متعددة، بمفردها أو مع دلاية.",
        ),
    ),
    (
        "earrings",
        None,
        ("Earrings", "耳饰", "Boucles d'oreilles", "Ohrringe", "Pendientes", "ピアス", "أقراط"),
        (
            "Studs, hoops and drop earrings for every day and every occasion.",
            "耳钉、耳圈与垂坠耳环，日常与各种场合皆宜。",
            "Puces, créoles et pendantes pour tous les jours et toutes les occasions.",
            "Ohrstecker, Creolen und Ohrhänger für jeden Tag und jeden Anlass.",
            "Pendientes de botón, aros y pendientes largos para cada día y cada ocasión.",
            "毎日にも特別な日にも、スタッド、フープ、ドロップピアス。",
            "أقراط صغيرة ودائرية ومتدلية لكل يوم ولكل مناسبة.",
        ),
    ),
    (
        "studs",
        "earrings",
        (
            "Studs",
            "耳钉",
            "Puces d'oreilles",
            "Ohrstecker",
            "Pendientes de botón",
            "スタッドピアス",
            "أقراط صغيرة",
        ),
        (
            "Diamond, gemstone, pearl and polished metal studs.",
            "钻石、彩色宝石、珍珠与亮面金属耳钉。",
            "Puces en diamant, pierres de couleur, perles et métal poli.",
            "Ohrstecker mit Diamanten, Farbedelsteinen, Perlen oder aus poliertem Metall.",
            "Pendientes de botón con diamantes, piedras de color, perlas o metal pulido.",
            "ダイヤモンド、カラーストーン、パール、地金のスタッドピアス。",
            "أقراط صغيرة بالألماس والأحجار الملونة واللؤلؤ والمعدن المصقول.",
        ),
    ),
    (
        "hoops",
        "earrings",
        ("Hoops", "圈形耳环", "Créoles", "Creolen", "Aros", "フープピアス", "أقراط دائرية"),
        (
            "Classic, huggie and pavé hoops with secure hinged closures.",
            "经典、迷你与密钉镶耳圈，配有稳固铰链扣。",
            "Créoles classiques, mini créoles et créoles pavées avec fermoir à charnière.",
            "Klassische, Mini- und Pavé-Creolen mit sicherem Klappverschluss.",
            "Aros clásicos, mini aros y aros pavé con cierre de bisagra seguro.",
            "ヒンジ式で安心なクラシック、ハギー、パヴェのフープピアス。",
            "أقراط دائرية كلاسيكية وصغيرة ومرصعة بقفل مفصلي آمن.",
        ),
    ),
    (
        "drops",
        "earrings",
        (
            "Drop Earrings",
            "垂坠耳环",
            "Boucles d'oreilles pendantes",
            "Ohrhänger",
            "Pendientes largos",
            "ドロップピアス",
            "أقراط متدلية",
        ),
        (
            "Gemstone and pearl drops that move with you.",
            "随步轻摇的宝石与珍珠垂坠耳环。",
            "Pendants d'oreilles en pierres de couleur et perles, qui bougent avec vous.",
            "Ohrhänger mit Edelsteinen und Perlen, die jede Bewegung mitmachen.",
            "Pendientes largos de piedras de color y perlas que se mueven contigo.",
            "揺れるたびにきらめく、宝石とパールのドロップピアス。",
            "أقراط متدلية بالأحجار الكريمة واللؤلؤ تتحرك معك.",
        ),
    ),
    (
        "bracelets",
        None,
        ("Bracelets", "手链与手镯", "Bracelets", "Armbänder", "Pulseras", "ブレスレット", "أساور"),
        (
            "Bangles and tennis bracelets in gold, platinum and silver.",
            "金、铂金与银质手镯及网球手链。",
            "Joncs et bracelets rivière en or, platine et argent.",
            "Armreifen und Tennisarmbänder aus Gold, Platin und Silber.",
            "Pulseras rígidas y pulseras tenis de oro, platino y plata.",
            "ゴールド、プラチナ、シルバーのバングルとテニスブレスレット。",
            "أساور صلبة وأساور تنس من الذهب والبلاتين والفضة.",
        ),
    ),
    (
        "bangles",
        "bracelets",
        ("Bangles", "手镯", "Joncs", "Armreifen", "Pulseras rígidas", "バングル", "أساور صلبة"),
        (
            "Polished and pavé bangles that stack beautifully.",
            "亮面与密钉镶手镯，叠戴更出彩。",
            "Joncs polis et pavés, superbes portés ensemble.",
            "Polierte und Pavé-Armreifen, wunderschön im Stapel.",
            "Pulseras rígidas pulidas y pavé, perfectas para combinar.",
            "重ね付けが美しいポリッシュとパヴェのバングル。",
            "أساور صلبة مصقولة ومرصعة تتألق عند تنسيقها معاً.",
        ),
    ),
    (
        "tennis-bracelets",
        "bracelets",
        (
            "Tennis Bracelets",
            "网球手链",
            "Bracelets rivière",
            "Tennisarmbänder",
            "Pulseras tenis",
            "テニスブレスレット",
            "أساور التنس",
        ),
        (
            "A continuous line of diamonds or coloured gemstones, each in its own setting.",
            "一排连续镶嵌的钻石或彩色宝石，每颗独立镶嵌。",
            "Une ligne continue de diamants ou de pierres de couleur, chacune dans son propre "
            "serti.",
            "Eine durchgehende Reihe aus Diamanten oder Farbedelsteinen, jeder in eigener Fassung.",
            "Una línea continua de diamantes o piedras de color, cada una en su propio engaste.",
            "ダイヤモンドやカラーストーンを一石ずつ留めて連ねたブレスレット。",
            "خط متصل من الألماس أو الأحجار الملونة، كل حجر في ترصيعه الخاص.",
        ),
    ),
    (
        "brooches",
        None,
        ("Brooches", "胸针", "Broches", "Broschen", "Broches", "ブローチ", "بروشات"),
        (
            "Flower and vintage-inspired brooches to pin on a lapel, scarf or hat.",
            "花朵与复古风格胸针，可别于翻领、丝巾或帽子。",
            "Broches fleurs et d'inspiration vintage, pour un revers, un foulard ou un chapeau.",
            "Blüten- und Vintage-Broschen für Revers, Schal oder Hut.",
            "Broches de flor y de inspiración vintage para solapas, pañuelos o sombreros.",
            "ラペルやスカーフ、帽子に映えるフラワーとヴィンテージ調のブローチ。",
            "بروشات على شكل زهور وبطراز عتيق لطية السترة أو الوشاح أو القبعة.",
        ),
    ),
    (
        "anklets",
        None,
        (
            "Anklets",
            "脚链",
            "Chaînes de cheville",
            "Fußkettchen",
            "Tobilleras",
            "アンクレット",
            "خلاخيل",
        ),
        (
            "Fine chains and charm anklets for summer days.",
            "适合夏日的精致脚链与吊饰脚链。",
            "Chaînes fines et chaînes de cheville à breloques pour les jours d'été.",
            "Feine Ketten und Fußkettchen mit Anhängern für Sommertage.",
            "Cadenas finas y tobilleras con dijes para los días de verano.",
            "夏に映える華奢なチェーンとチャームのアンクレット。",
            "سلاسل رفيعة وخلاخيل بتعليقات لأيام الصيف.",
        ),
    ),
)


# =============================================================================================
# Metals and other materials
# =============================================================================================


@dataclass(frozen=True)
class Metal:
    slug: str
    hex: str
    names: tuple[str, ...]  # material names in LANGS order
    code: str  # SKU code
    density: float  # relative weight of the same piece
    gold: bool = False


METALS: dict[str, Metal] = {
    m.slug: m
    for m in (
        Metal(
            "yellow-gold",
            "#e3b84f",
            (
                "Yellow gold",
                "K黄金",
                "Or jaune",
                "Gelbgold",
                "Oro amarillo",
                "イエローゴールド",
                "الذهب الأصفر",
            ),
            "YG",
            1.0,
            gold=True,
        ),
        Metal(
            "white-gold",
            "#e6e6e2",
            (
                "White gold",
                "K白金",
                "Or blanc",
                "Weißgold",
                "Oro blanco",
                "ホワイトゴールド",
                "الذهب الأبيض",
            ),
            "WG",
            1.0,
            gold=True,
        ),
        Metal(
            "rose-gold",
            "#e3a88b",
            (
                "Rose gold",
                "玫瑰金",
                "Or rose",
                "Roségold",
                "Oro rosa",
                "ローズゴールド",
                "الذهب الوردي",
            ),
            "RG",
            1.0,
            gold=True,
        ),
        Metal(
            "platinum",
            "#d8dade",
            ("Platinum", "铂金", "Platine", "Platin", "Platino", "プラチナ", "البلاتين"),
            "PT",
            1.45,
        ),
        Metal(
            "sterling-silver",
            "#c9cbcf",
            (
                "Sterling silver",
                "925银",
                "Argent sterling",
                "Sterlingsilber",
                "Plata de ley",
                "シルバー",
                "الفضة الإسترلينية",
            ),
            "SS",
            0.75,
        ),
    )
}

OTHER_MATERIALS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("pearl", "#f4efe6", ("Pearl", "珍珠", "Perle", "Perle", "Perla", "パール", "اللؤلؤ")),
    ("leather", "#7a4a2a", ("Leather", "皮革", "Cuir", "Leder", "Cuero", "レザー", "الجلد")),
    ("enamel", "#2f6f9f", ("Enamel", "珐琅", "Émail", "Emaille", "Esmalte", "エナメル", "المينا")),
)

# Gold colour words for product names, by language.
GOLD_COLOUR = {
    "yellow-gold": {
        "en": "Yellow Gold",
        "fr": "or jaune",
        "de": "Gelbgold",
        "es": "oro amarillo",
        "ja": "イエローゴールド",
        "zh-hans": "黄金",
        "ar": "الذهب الأصفر",
    },
    "white-gold": {
        "en": "White Gold",
        "fr": "or blanc",
        "de": "Weißgold",
        "es": "oro blanco",
        "ja": "ホワイトゴールド",
        "zh-hans": "白金",
        "ar": "الذهب الأبيض",
    },
    "rose-gold": {
        "en": "Rose Gold",
        "fr": "or rose",
        "de": "Roségold",
        "es": "oro rosa",
        "ja": "ローズゴールド",
        "zh-hans": "玫瑰金",
        "ar": "الذهب الوردي",
    },
}


def metal_text(lang: str, metal: str, purity: str, *, full: bool) -> str:
    """The metal as written in a name (`full=False`) or in a description (`full=True`)."""
    if metal in GOLD_COLOUR:
        karat = purity.rstrip("K")
        colour = GOLD_COLOUR[metal][lang]
        return {
            "en": f"{purity} {colour.lower() if full else colour}",
            "fr": f"{colour} {karat} carats",
            "de": f"{purity} {colour}",
            "es": f"{colour} de {karat} quilates",
            "ja": f"{purity}{colour}",
            "zh-hans": f"{purity}{colour}",
            "ar": f"{colour} عيار {karat}",
        }[lang]
    if metal == "platinum":
        if full:
            return {
                "en": "950 platinum",
                "fr": "platine 950",
                "de": "Platin 950",
                "es": "platino 950",
                "ja": "プラチナ（Pt950）",
                "zh-hans": "PT950铂金",
                "ar": "البلاتين 950",
            }[lang]
        return {
            "en": "Platinum",
            "fr": "platine",
            "de": "Platin",
            "es": "platino",
            "ja": "Pt950プラチナ",
            "zh-hans": "PT950铂金",
            "ar": "البلاتين",
        }[lang]
    if full:
        return {
            "en": "925 sterling silver",
            "fr": "argent sterling 925",
            "de": "925er Sterlingsilber",
            "es": "plata de ley 925",
            "ja": "シルバー925",
            "zh-hans": "925纯银",
            "ar": "الفضة الإسترلينية 925",
        }[lang]
    return {
        "en": "Sterling Silver",
        "fr": "argent 925",
        "de": "Sterlingsilber",
        "es": "plata de ley",
        "ja": "シルバー925",
        "zh-hans": "925银",
        "ar": "الفضة الإسترلينية",
    }[lang]


def metal_option(metal: str, purity: str) -> str:
    """The variant's option value (English, as Shopify stores it): "18K Rose Gold"."""
    return metal_text("en", metal, purity, full=False)


# =============================================================================================
# Gemstones
# =============================================================================================


@dataclass(frozen=True)
class Gem:
    slug: str
    hex: str
    names: tuple[str, ...]  # type names in LANGS order
    en_plural: str
    fr: tuple[str, str, str]  # singular, plural, gender
    de: tuple[str, str, str]  # singular, dative plural, gender
    es: tuple[str, str, str]  # singular, plural, gender
    ar: tuple[str, str, str]  # indefinite, definite, gender
    price_per_ct: int  # USD for a one-carat stone
    exponent: float  # bigger stones cost more per carat
    colours: tuple[str, ...]
    soft: bool = False  # needs gentler care than diamond and sapphire


GEMS: dict[str, Gem] = {
    g.slug: g
    for g in (
        Gem(
            "diamond",
            "#eef4fb",
            ("Diamond", "钻石", "Diamant", "Diamant", "Diamante", "ダイヤモンド", "ألماس"),
            "diamonds",
            ("diamant", "diamants", "m"),
            ("Diamant", "Diamanten", "m"),
            ("diamante", "diamantes", "m"),
            ("ألماس", "الألماس", "m"),
            2800,
            1.5,
            ("D", "E", "F", "G", "G", "H", "H", "I"),
        ),
        Gem(
            "sapphire",
            "#1f4fa8",
            ("Sapphire", "蓝宝石", "Saphir", "Saphir", "Zafiro", "サファイア", "ياقوت أزرق"),
            "sapphires",
            ("saphir", "saphirs", "m"),
            ("Saphir", "Saphiren", "m"),
            ("zafiro", "zafiros", "m"),
            ("ياقوت أزرق", "الياقوت الأزرق", "m"),
            850,
            1.3,
            ("Royal blue", "Cornflower blue", "Deep blue"),
        ),
        Gem(
            "ruby",
            "#b3122e",
            ("Ruby", "红宝石", "Rubis", "Rubin", "Rubí", "ルビー", "ياقوت أحمر"),
            "rubies",
            ("rubis", "rubis", "m"),
            ("Rubin", "Rubinen", "m"),
            ("rubí", "rubíes", "m"),
            ("ياقوت أحمر", "الياقوت الأحمر", "m"),
            1000,
            1.3,
            ("Pigeon blood red", "Deep red", "Crimson"),
        ),
        Gem(
            "emerald",
            "#13855c",
            ("Emerald", "祖母绿", "Émeraude", "Smaragd", "Esmeralda", "エメラルド", "زمرد"),
            "emeralds",
            ("émeraude", "émeraudes", "f"),
            ("Smaragd", "Smaragden", "m"),
            ("esmeralda", "esmeraldas", "f"),
            ("زمرد", "الزمرد", "m"),
            900,
            1.3,
            ("Vivid green", "Forest green", "Bluish green"),
            soft=True,
        ),
        Gem(
            "amethyst",
            "#8a4fc0",
            ("Amethyst", "紫水晶", "Améthyste", "Amethyst", "Amatista", "アメジスト", "جمشت"),
            "amethysts",
            ("améthyste", "améthystes", "f"),
            ("Amethyst", "Amethysten", "m"),
            ("amatista", "amatistas", "f"),
            ("جمشت", "الجمشت", "m"),
            45,
            1.0,
            ("Deep purple", "Lavender", "Royal purple"),
        ),
        Gem(
            "pearl",
            "#f4efe6",
            ("Pearl", "珍珠", "Perle", "Perle", "Perla", "パール", "لؤلؤ"),
            "pearls",
            ("perle", "perles", "f"),
            ("Perle", "Perlen", "f"),
            ("perla", "perlas", "f"),
            ("لؤلؤ", "اللؤلؤ", "m"),
            0,
            1.0,
            ("White", "Cream", "Rosé", "Silver white"),
            soft=True,
        ),
        Gem(
            "topaz",
            "#4fa6d6",
            ("Topaz", "托帕石", "Topaze", "Topas", "Topacio", "トパーズ", "توباز"),
            "topazes",
            ("topaze", "topazes", "f"),
            ("Topas", "Topasen", "m"),
            ("topacio", "topacios", "m"),
            ("توباز", "التوباز", "m"),
            40,
            1.0,
            ("Swiss blue", "London blue", "Sky blue"),
        ),
        Gem(
            "aquamarine",
            "#8fd3e0",
            (
                "Aquamarine",
                "海蓝宝",
                "Aigue-marine",
                "Aquamarin",
                "Aguamarina",
                "アクアマリン",
                "أكوامارين",
            ),
            "aquamarines",
            ("aigue-marine", "aigues-marines", "f"),
            ("Aquamarin", "Aquamarinen", "m"),
            ("aguamarina", "aguamarinas", "f"),
            ("أكوامارين", "الأكوامارين", "m"),
            260,
            1.1,
            ("Sea blue", "Light blue", "Santa Maria blue"),
        ),
        Gem(
            "opal",
            "#e4ecf0",
            ("Opal", "欧泊", "Opale", "Opal", "Ópalo", "オパール", "أوبال"),
            "opals",
            ("opale", "opales", "f"),
            ("Opal", "Opalen", "m"),
            ("ópalo", "ópalos", "m"),
            ("أوبال", "الأوبال", "m"),
            180,
            1.0,
            ("White with play of colour", "Crystal", "Milky"),
            soft=True,
        ),
        Gem(
            "garnet",
            "#7c1424",
            ("Garnet", "石榴石", "Grenat", "Granat", "Granate", "ガーネット", "غارنيت"),
            "garnets",
            ("grenat", "grenats", "m"),
            ("Granat", "Granaten", "m"),
            ("granate", "granates", "m"),
            ("غارنيت", "الغارنيت", "m"),
            50,
            1.0,
            ("Deep red", "Wine red", "Burgundy"),
        ),
        Gem(
            "morganite",
            "#f2b8a8",
            (
                "Morganite",
                "摩根石",
                "Morganite",
                "Morganit",
                "Morganita",
                "モルガナイト",
                "مورغانيت",
            ),
            "morganites",
            ("morganite", "morganites", "f"),
            ("Morganit", "Morganiten", "m"),
            ("morganita", "morganitas", "f"),
            ("مورغانيت", "المورغانيت", "m"),
            200,
            1.1,
            ("Peach pink", "Blush pink", "Soft pink"),
        ),
        Gem(
            "tanzanite",
            "#4b3fa6",
            (
                "Tanzanite",
                "坦桑石",
                "Tanzanite",
                "Tansanit",
                "Tanzanita",
                "タンザナイト",
                "تنزانيت",
            ),
            "tanzanites",
            ("tanzanite", "tanzanites", "f"),
            ("Tansanit", "Tansaniten", "m"),
            ("tanzanita", "tanzanitas", "f"),
            ("تنزانيت", "التنزانيت", "m"),
            480,
            1.2,
            ("Violet blue", "Indigo", "Deep violet"),
            soft=True,
        ),
        Gem(
            "citrine",
            "#e6a21e",
            ("Citrine", "黄水晶", "Citrine", "Citrin", "Citrino", "シトリン", "سترين"),
            "citrines",
            ("citrine", "citrines", "f"),
            ("Citrin", "Citrinen", "m"),
            ("citrino", "citrinos", "m"),
            ("سترين", "السترين", "m"),
            35,
            1.0,
            ("Golden yellow", "Honey", "Madeira orange"),
        ),
        Gem(
            "peridot",
            "#98c03a",
            ("Peridot", "橄榄石", "Péridot", "Peridot", "Peridoto", "ペリドット", "زبرجد"),
            "peridots",
            ("péridot", "péridots", "m"),
            ("Peridot", "Peridoten", "m"),
            ("peridoto", "peridotos", "m"),
            ("زبرجد", "الزبرجد", "m"),
            55,
            1.0,
            ("Olive green", "Lime green", "Apple green"),
        ),
    )
}

# Stones a sterling silver piece is set with (keeps prices and pairings believable).
SILVER_GEMS = ("amethyst", "topaz", "garnet", "citrine", "peridot", "pearl", "opal")


@dataclass(frozen=True)
class Cut:
    en: str  # in a name
    en_desc: str  # in a sentence
    fr: tuple[str, str, str, str]  # m, f, m pl, f pl
    de_adj: tuple[str, str, str, str] | None  # strong dat. m, strong dat. f, plural, weak
    de_post: str  # used when there is no adjective: "im Tropfenschliff"
    es: tuple[str, str, str, str]  # m, f, m pl, f pl
    ja: str
    zh: str
    ar: tuple[str, str]  # m, f


def _same4(word: str) -> tuple[str, str, str, str]:
    return (word, word, word, word)


CUTS: dict[str, Cut] = {
    "round": Cut(
        "Round",
        "round",
        ("rond", "ronde", "ronds", "rondes"),
        ("rundem", "runder", "runden", "runden"),
        "",
        ("redondo", "redonda", "redondos", "redondas"),
        "ラウンド",
        "圆形",
        ("دائري", "دائرية"),
    ),
    "oval": Cut(
        "Oval",
        "oval",
        ("ovale", "ovale", "ovales", "ovales"),
        ("ovalem", "ovaler", "ovalen", "ovalen"),
        "",
        ("ovalado", "ovalada", "ovalados", "ovaladas"),
        "オーバル",
        "椭圆形",
        ("بيضاوي", "بيضاوية"),
    ),
    "pear": Cut(
        "Pear",
        "pear-shaped",
        _same4("poire"),
        None,
        "im Tropfenschliff",
        _same4("talla pera"),
        "ペアシェイプ",
        "梨形",
        ("على شكل كمثرى", "على شكل كمثرى"),
    ),
    "emerald": Cut(
        "Emerald-Cut",
        "emerald-cut",
        _same4("taille émeraude"),
        None,
        "im Smaragdschliff",
        _same4("talla esmeralda"),
        "エメラルドカット",
        "祖母绿形",
        ("بقطع الزمرد", "بقطع الزمرد"),
    ),
    "heart": Cut(
        "Heart",
        "heart-shaped",
        _same4("cœur"),
        None,
        "in Herzform",
        _same4("en forma de corazón"),
        "ハートシェイプ",
        "心形",
        ("على شكل قلب", "على شكل قلب"),
    ),
    "marquise": Cut(
        "Marquise",
        "marquise",
        _same4("marquise"),
        None,
        "im Marquiseschliff",
        _same4("talla marquesa"),
        "マーキース",
        "马眼形",
        ("بقطع الماركيز", "بقطع الماركيز"),
    ),
    "princess": Cut(
        "Princess-Cut",
        "princess-cut",
        _same4("taille princesse"),
        None,
        "im Prinzessschliff",
        _same4("talla princesa"),
        "プリンセスカット",
        "公主方形",
        ("بقطع الأميرة", "بقطع الأميرة"),
    ),
    "cushion": Cut(
        "Cushion-Cut",
        "cushion-cut",
        _same4("taille coussin"),
        None,
        "im Kissenschliff",
        _same4("talla cojín"),
        "クッションカット",
        "枕形",
        ("بقطع الوسادة", "بقطع الوسادة"),
    ),
}
CUT_WEIGHTS = {
    "round": 30,
    "oval": 18,
    "cushion": 10,
    "pear": 10,
    "emerald": 10,
    "princess": 8,
    "marquise": 7,
    "heart": 7,
}

# =============================================================================================
# Designs: what a product is, per leaf category
# =============================================================================================

BRIDAL_GEMS = {
    "diamond": 62,
    "sapphire": 10,
    "morganite": 8,
    "ruby": 5,
    "emerald": 5,
    "aquamarine": 4,
    "tanzanite": 3,
    "opal": 3,
}
COLOURED_GEMS = {
    "diamond": 12,
    "sapphire": 10,
    "ruby": 8,
    "emerald": 8,
    "amethyst": 10,
    "topaz": 9,
    "aquamarine": 8,
    "opal": 5,
    "garnet": 7,
    "morganite": 7,
    "tanzanite": 6,
    "citrine": 7,
    "peridot": 7,
}
STATEMENT_GEMS = {k: v for k, v in COLOURED_GEMS.items() if k != "diamond"}
LINE_GEMS = {
    "diamond": 55,
    "sapphire": 12,
    "ruby": 10,
    "emerald": 9,
    "amethyst": 5,
    "topaz": 5,
    "tanzanite": 4,
}
STUD_GEMS = {**COLOURED_GEMS, "diamond": 40}
DROP_GEMS = {**STATEMENT_GEMS, "pearl": 18, "diamond": 6}
PEARL_ONLY = {"pearl": 1}
CHARM_GEMS = {"pearl": 8, "amethyst": 3, "topaz": 3, "peridot": 3, "citrine": 3, "garnet": 2}
SMALL_DIAMOND = {"diamond": 1}

BRIDAL_METALS = {"platinum": 25, "white-gold": 32, "yellow-gold": 20, "rose-gold": 23}
FINE_METALS = {
    "platinum": 8,
    "white-gold": 26,
    "yellow-gold": 30,
    "rose-gold": 20,
    "sterling-silver": 16,
}
EVERYDAY_METALS = {
    "platinum": 3,
    "white-gold": 14,
    "yellow-gold": 34,
    "rose-gold": 19,
    "sterling-silver": 30,
}


@dataclass(frozen=True)
class Design:
    key: str
    leaf: str
    names: tuple[str, ...]  # noun phrase, LANGS order
    en_desc: str  # "halo engagement ring" as used in an English sentence
    ar_gender: str  # m / f / pl: agreement of the Arabic adjective after the noun
    draw: tuple[str, str]  # category slug and style for catalog.drawing
    base: int  # USD for the metal work in 14K gold
    layout: str = "single"  # single / pair / line / none
    gems: dict[str, int] | None = None
    gem_optional: float = 0.0  # chance of a piece without stone
    carat: tuple[float, float] = (0.5, 1.5)  # per stone (single, pair) or total (line)
    count: tuple[int, int] = (1, 1)  # stones in a line
    accent: bool = False  # pavé or halo diamonds besides the main stones
    accent_kind: str = "pave"  # "pave" (halo, shoulders) or "sides" (two side diamonds)
    cuts: tuple[str, ...] | None = None
    metals: dict[str, int] = field(default_factory=lambda: FINE_METALS)
    weight: float = 3.0  # grams in 14K gold
    weight_in_choice: int = 10


def _d(key, leaf, names, en_desc, ar_gender, draw, base, **kw) -> Design:
    return Design(key, leaf, names, en_desc, ar_gender, draw, base, **kw)


DESIGNS: tuple[Design, ...] = (
    # --- engagement rings
    _d(
        "solitaire-engagement",
        "engagement-rings",
        (
            "Solitaire Engagement Ring",
            "单石订婚戒指",
            "Bague de fiançailles solitaire",
            "Solitär-Verlobungsring",
            "Anillo de compromiso solitario",
            "ソリテール エンゲージリング",
            "خاتم خطوبة سوليتير",
        ),
        "solitaire engagement ring",
        "m",
        ("engagement-rings", "solo"),
        950,
        gems=BRIDAL_GEMS,
        carat=(0.5, 2.0),
        metals=BRIDAL_METALS,
        weight=3.2,
        weight_in_choice=14,
    ),
    _d(
        "halo-engagement",
        "engagement-rings",
        (
            "Halo Engagement Ring",
            "光环订婚戒指",
            "Bague de fiançailles halo",
            "Halo-Verlobungsring",
            "Anillo de compromiso con halo",
            "ヘイロー エンゲージリング",
            "خاتم خطوبة بتصميم هالة",
        ),
        "halo engagement ring",
        "m",
        ("rings", "halo"),
        1150,
        gems=BRIDAL_GEMS,
        carat=(0.5, 1.5),
        accent=True,
        metals=BRIDAL_METALS,
        weight=3.8,
        weight_in_choice=12,
    ),
    _d(
        "three-stone-engagement",
        "engagement-rings",
        (
            "Three-Stone Engagement Ring",
            "三石订婚戒指",
            "Bague de fiançailles trilogie",
            "Trilogie-Verlobungsring",
            "Anillo de compromiso de tres piedras",
            "スリーストーン エンゲージリング",
            "خاتم خطوبة بثلاثة أحجار",
        ),
        "three-stone engagement ring",
        "m",
        ("rings", "three"),
        1250,
        gems=BRIDAL_GEMS,
        carat=(0.5, 1.5),
        accent=True,
        accent_kind="sides",
        metals=BRIDAL_METALS,
        weight=3.6,
        weight_in_choice=8,
    ),
    _d(
        "pave-engagement",
        "engagement-rings",
        (
            "Pavé Engagement Ring",
            "密钉镶订婚戒指",
            "Bague de fiançailles pavée",
            "Pavé-Verlobungsring",
            "Anillo de compromiso pavé",
            "パヴェ エンゲージリング",
            "خاتم خطوبة بافيه",
        ),
        "pavé engagement ring",
        "m",
        ("engagement-rings", "pave"),
        1100,
        gems=BRIDAL_GEMS,
        carat=(0.5, 1.8),
        accent=True,
        metals=BRIDAL_METALS,
        weight=3.4,
        weight_in_choice=10,
    ),
    # --- wedding bands
    _d(
        "classic-band",
        "wedding-bands",
        (
            "Classic Wedding Band",
            "经典婚戒",
            "Alliance classique",
            "Klassischer Trauring",
            "Alianza clásica",
            "クラシック マリッジリング",
            "دبلة زفاف كلاسيكية",
        ),
        "classic wedding band",
        "f",
        ("wedding-bands", "plain"),
        520,
        layout="none",
        metals=BRIDAL_METALS,
        weight=4.5,
        weight_in_choice=12,
    ),
    _d(
        "comfort-band",
        "wedding-bands",
        (
            "Comfort-Fit Wedding Band",
            "舒适款婚戒",
            "Alliance confort",
            "Trauring mit Komfortprofil",
            "Alianza de ajuste confort",
            "コンフォートフィット マリッジリング",
            "دبلة زفاف مريحة",
        ),
        "comfort-fit wedding band",
        "f",
        ("wedding-bands", "groove"),
        600,
        layout="none",
        metals=BRIDAL_METALS,
        weight=5.2,
        weight_in_choice=10,
    ),
    _d(
        "milgrain-band",
        "wedding-bands",
        (
            "Milgrain Wedding Band",
            "米粒边婚戒",
            "Alliance millegrain",
            "Milgrain-Trauring",
            "Alianza milgrain",
            "ミルグレイン マリッジリング",
            "دبلة زفاف بحواف ميلغرين",
        ),
        "milgrain wedding band",
        "f",
        ("wedding-bands", "milgrain"),
        640,
        layout="none",
        metals=BRIDAL_METALS,
        weight=4.8,
        weight_in_choice=8,
    ),
    _d(
        "eternity-band",
        "wedding-bands",
        (
            "Eternity Band",
            "永恒戒指",
            "Alliance éternité",
            "Memoire-Ring",
            "Alianza eternidad",
            "エタニティリング",
            "خاتم الأبدية",
        ),
        "eternity band",
        "m",
        ("wedding-bands", "pave"),
        700,
        layout="line",
        gems=LINE_GEMS,
        carat=(0.5, 3.0),
        count=(16, 28),
        cuts=("round",),
        metals=BRIDAL_METALS,
        weight=3.5,
        weight_in_choice=12,
    ),
    # --- cocktail rings
    _d(
        "cocktail",
        "cocktail-rings",
        (
            "Cocktail Ring",
            "鸡尾酒戒指",
            "Bague cocktail",
            "Cocktailring",
            "Anillo cóctel",
            "カクテルリング",
            "خاتم كوكتيل",
        ),
        "cocktail ring",
        "m",
        ("cocktail-rings", "halo"),
        650,
        gems=STATEMENT_GEMS,
        carat=(2.0, 7.0),
        accent=True,
        weight=6.0,
        weight_in_choice=12,
    ),
    _d(
        "halo-ring",
        "cocktail-rings",
        (
            "Halo Ring",
            "光环戒指",
            "Bague halo",
            "Halo-Ring",
            "Anillo halo",
            "ヘイローリング",
            "خاتم هالة",
        ),
        "halo ring",
        "m",
        ("rings", "halo"),
        550,
        gems=COLOURED_GEMS,
        carat=(0.8, 3.0),
        accent=True,
        weight=4.2,
        weight_in_choice=10,
    ),
    _d(
        "solitaire-ring",
        "cocktail-rings",
        (
            "Solitaire Ring",
            "单石戒指",
            "Bague solitaire",
            "Solitärring",
            "Anillo solitario",
            "ソリテールリング",
            "خاتم سوليتير",
        ),
        "solitaire ring",
        "m",
        ("rings", "solo"),
        420,
        gems=COLOURED_GEMS,
        carat=(0.8, 3.5),
        weight=3.6,
        weight_in_choice=10,
    ),
    _d(
        "three-stone-ring",
        "cocktail-rings",
        (
            "Three-Stone Ring",
            "三石戒指",
            "Bague trilogie",
            "Trilogie-Ring",
            "Anillo de tres piedras",
            "スリーストーンリング",
            "خاتم بثلاثة أحجار",
        ),
        "three-stone ring",
        "m",
        ("rings", "three"),
        600,
        gems=COLOURED_GEMS,
        carat=(0.8, 2.5),
        accent=True,
        accent_kind="sides",
        weight=4.0,
        weight_in_choice=8,
    ),
    # --- pendants
    _d(
        "solitaire-pendant",
        "pendants",
        (
            "Solitaire Pendant Necklace",
            "单石吊坠项链",
            "Collier pendentif solitaire",
            "Solitär-Halskette",
            "Collar con colgante solitario",
            "ソリテール ペンダントネックレス",
            "قلادة بدلاية سوليتير",
        ),
        "solitaire pendant necklace",
        "f",
        ("pendants", "bezel"),
        320,
        gems=COLOURED_GEMS,
        carat=(0.25, 1.5),
        weight=2.8,
        weight_in_choice=12,
    ),
    _d(
        "halo-pendant",
        "pendants",
        (
            "Halo Pendant",
            "光环吊坠",
            "Pendentif halo",
            "Halo-Anhänger",
            "Colgante halo",
            "ヘイローペンダント",
            "دلاية هالة",
        ),
        "halo pendant",
        "f",
        ("pendants", "halo"),
        380,
        gems=COLOURED_GEMS,
        carat=(0.3, 1.5),
        accent=True,
        weight=3.0,
        weight_in_choice=10,
    ),
    _d(
        "drop-pendant",
        "pendants",
        (
            "Drop Pendant Necklace",
            "水滴吊坠项链",
            "Collier pendentif goutte",
            "Tropfen-Halskette",
            "Collar con colgante de gota",
            "ドロップ ペンダントネックレス",
            "قلادة بدلاية على شكل قطرة",
        ),
        "drop pendant necklace",
        "f",
        ("necklaces", "drop"),
        300,
        gems=DROP_GEMS,
        carat=(0.5, 2.5),
        cuts=("pear", "oval", "marquise"),
        weight=2.6,
        weight_in_choice=10,
    ),
    _d(
        "heart-pendant",
        "pendants",
        (
            "Heart Pendant Necklace",
            "心形吊坠项链",
            "Collier pendentif cœur",
            "Herz-Halskette",
            "Collar con colgante de corazón",
            "ハート ペンダントネックレス",
            "قلادة بدلاية على شكل قلب",
        ),
        "heart pendant necklace",
        "f",
        ("pendants", "heart"),
        240,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=3.2,
        weight_in_choice=8,
    ),
    _d(
        "disc-necklace",
        "pendants",
        (
            "Disc Necklace",
            "圆牌项链",
            "Collier médaille",
            "Plättchen-Halskette",
            "Collar de medalla",
            "ディスクネックレス",
            "قلادة بقرص دائري",
        ),
        "disc necklace",
        "f",
        ("necklaces", "disc"),
        210,
        gems=SMALL_DIAMOND,
        gem_optional=0.5,
        carat=(0.03, 0.1),
        cuts=("round",),
        metals=EVERYDAY_METALS,
        weight=3.0,
        weight_in_choice=7,
    ),
    _d(
        "bar-necklace",
        "pendants",
        (
            "Bar Necklace",
            "一字形项链",
            "Collier barrette",
            "Stab-Halskette",
            "Collar de barra",
            "バーネックレス",
            "قلادة بتصميم قضيب",
        ),
        "bar necklace",
        "f",
        ("necklaces", "bar"),
        190,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=2.4,
        weight_in_choice=6,
    ),
    # --- chains
    _d(
        "cable-chain",
        "chains",
        (
            "Cable Chain Necklace",
            "O字链项链",
            "Chaîne forçat",
            "Ankerkette",
            "Cadena de eslabones clásica",
            "あずきチェーンネックレス",
            "سلسلة بحلقات كلاسيكية",
        ),
        "cable chain necklace",
        "f",
        ("chains", "cable"),
        280,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=4.0,
        weight_in_choice=10,
    ),
    _d(
        "box-chain",
        "chains",
        (
            "Box Chain Necklace",
            "盒子链项链",
            "Chaîne vénitienne",
            "Venezianerkette",
            "Cadena veneciana",
            "ベネチアンチェーンネックレス",
            "سلسلة بحلقات مربعة",
        ),
        "box chain necklace",
        "f",
        ("chains", "box"),
        320,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=4.5,
        weight_in_choice=8,
    ),
    _d(
        "curb-chain",
        "chains",
        (
            "Curb Chain Necklace",
            "侧身链项链",
            "Chaîne gourmette",
            "Panzerkette",
            "Cadena barbada",
            "喜平チェーンネックレス",
            "سلسلة بحلقات مسطحة",
        ),
        "curb chain necklace",
        "f",
        ("chains", "curb"),
        380,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=6.5,
        weight_in_choice=8,
    ),
    # --- studs
    _d(
        "solitaire-studs",
        "studs",
        (
            "Solitaire Stud Earrings",
            "单石耳钉",
            "Boucles d'oreilles puces solitaires",
            "Solitär-Ohrstecker",
            "Pendientes de botón solitarios",
            "ソリテール スタッドピアス",
            "أقراط سوليتير",
        ),
        "solitaire stud earrings",
        "pl",
        ("studs", "solitaire"),
        160,
        layout="pair",
        gems=STUD_GEMS,
        carat=(0.1, 1.0),
        weight=1.6,
        weight_in_choice=14,
    ),
    _d(
        "pearl-studs",
        "studs",
        (
            "Stud Earrings",
            "耳钉",
            "Boucles d'oreilles puces",
            "Ohrstecker",
            "Pendientes de botón",
            "スタッドピアス",
            "أقراط",
        ),
        "stud earrings",
        "pl",
        ("studs", "pearl"),
        90,
        layout="pair",
        gems=PEARL_ONLY,
        metals=EVERYDAY_METALS,
        weight=1.2,
        weight_in_choice=10,
    ),
    _d(
        "cluster-studs",
        "studs",
        (
            "Flower Cluster Earrings",
            "花形群镶耳钉",
            "Boucles d'oreilles fleur",
            "Blüten-Ohrstecker",
            "Pendientes de flor",
            "フラワー クラスターピアス",
            "أقراط على شكل زهرة",
        ),
        "flower cluster earrings",
        "pl",
        ("studs", "cluster"),
        240,
        layout="pair",
        gems=COLOURED_GEMS,
        carat=(0.1, 0.5),
        accent=True,
        cuts=("round",),
        weight=2.0,
        weight_in_choice=7,
    ),
    _d(
        "ball-studs",
        "studs",
        (
            "Ball Stud Earrings",
            "圆珠耳钉",
            "Boucles d'oreilles puces boules",
            "Kugel-Ohrstecker",
            "Pendientes de botón de bola",
            "ボール スタッドピアス",
            "أقراط كروية",
        ),
        "ball stud earrings",
        "pl",
        ("studs", "ball"),
        140,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=1.4,
        weight_in_choice=7,
    ),
    # --- hoops
    _d(
        "classic-hoops",
        "hoops",
        (
            "Classic Hoop Earrings",
            "经典圈形耳环",
            "Créoles classiques",
            "Klassische Creolen",
            "Aros clásicos",
            "クラシック フープピアス",
            "أقراط دائرية كلاسيكية",
        ),
        "classic hoop earrings",
        "pl",
        ("hoops", "plain"),
        240,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=3.4,
        weight_in_choice=12,
    ),
    _d(
        "huggie-hoops",
        "hoops",
        (
            "Huggie Hoop Earrings",
            "迷你耳圈",
            "Mini créoles",
            "Mini-Creolen",
            "Mini aros",
            "ハギーフープピアス",
            "أقراط دائرية صغيرة",
        ),
        "huggie hoop earrings",
        "pl",
        ("hoops", "plain"),
        180,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=2.2,
        weight_in_choice=9,
    ),
    _d(
        "pave-hoops",
        "hoops",
        (
            "Pavé Hoop Earrings",
            "密钉镶圈形耳环",
            "Créoles pavées",
            "Pavé-Creolen",
            "Aros pavé",
            "パヴェ フープピアス",
            "أقراط دائرية",
        ),
        "pavé hoop earrings",
        "pl",
        ("hoops", "pave"),
        320,
        layout="line",
        gems=LINE_GEMS,
        carat=(0.2, 1.2),
        count=(16, 30),
        cuts=("round",),
        weight=3.0,
        weight_in_choice=9,
    ),
    # --- drops
    _d(
        "drop-earrings",
        "drops",
        (
            "Drop Earrings",
            "垂坠耳环",
            "Boucles d'oreilles pendantes",
            "Ohrhänger",
            "Pendientes largos",
            "ドロップピアス",
            "أقراط متدلية",
        ),
        "drop earrings",
        "pl",
        ("drops", ""),
        220,
        layout="pair",
        gems=DROP_GEMS,
        carat=(0.4, 2.0),
        cuts=("pear", "oval", "marquise", "emerald", "heart"),
        weight=2.8,
        weight_in_choice=12,
    ),
    _d(
        "teardrop-earrings",
        "drops",
        (
            "Teardrop Earrings",
            "水滴耳环",
            "Boucles d'oreilles gouttes",
            "Tropfen-Ohrhänger",
            "Pendientes de lágrima",
            "ティアドロップピアス",
            "أقراط على شكل دمعة",
        ),
        "teardrop earrings",
        "pl",
        ("drops", ""),
        260,
        layout="pair",
        gems=STATEMENT_GEMS,
        carat=(0.5, 2.5),
        cuts=("pear",),
        weight=3.0,
        weight_in_choice=8,
    ),
    # --- bangles
    _d(
        "polished-bangle",
        "bangles",
        (
            "Polished Bangle",
            "亮面手镯",
            "Bracelet jonc poli",
            "Polierter Armreif",
            "Pulsera rígida pulida",
            "ポリッシュ バングル",
            "سوار صلب لامع",
        ),
        "polished bangle",
        "m",
        ("bangles", "plain"),
        480,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=9.0,
        weight_in_choice=10,
    ),
    _d(
        "pave-bangle",
        "bangles",
        (
            "Pavé Bangle",
            "密钉镶手镯",
            "Bracelet jonc pavé",
            "Pavé-Armreif",
            "Pulsera rígida pavé",
            "パヴェ バングル",
            "سوار صلب",
        ),
        "pavé bangle",
        "m",
        ("bangles", "pave"),
        650,
        layout="line",
        gems=LINE_GEMS,
        carat=(0.3, 1.5),
        count=(11, 30),
        cuts=("round",),
        weight=10.0,
        weight_in_choice=8,
    ),
    # --- tennis bracelets
    _d(
        "tennis-bracelet",
        "tennis-bracelets",
        (
            "Tennis Bracelet",
            "网球手链",
            "Bracelet rivière",
            "Tennisarmband",
            "Pulsera tenis",
            "テニスブレスレット",
            "سوار تنس",
        ),
        "tennis bracelet",
        "m",
        ("tennis-bracelets", ""),
        900,
        layout="line",
        gems=LINE_GEMS,
        carat=(1.0, 7.0),
        count=(36, 64),
        cuts=("round", "round", "princess", "oval"),
        metals=BRIDAL_METALS,
        weight=9.0,
        weight_in_choice=10,
    ),
    # --- brooches
    _d(
        "flower-brooch",
        "brooches",
        (
            "Flower Brooch",
            "花朵胸针",
            "Broche fleur",
            "Blüten-Brosche",
            "Broche de flor",
            "フラワーブローチ",
            "بروش على شكل زهرة",
        ),
        "flower brooch",
        "m",
        ("brooches", "flower"),
        420,
        gems=COLOURED_GEMS,
        gem_optional=0.3,
        carat=(0.5, 2.0),
        cuts=("round",),
        weight=7.0,
        weight_in_choice=10,
    ),
    _d(
        "vintage-brooch",
        "brooches",
        (
            "Vintage Brooch",
            "复古胸针",
            "Broche vintage",
            "Vintage-Brosche",
            "Broche vintage",
            "ヴィンテージブローチ",
            "بروش بطراز عتيق",
        ),
        "vintage brooch",
        "m",
        ("brooches", "vintage"),
        520,
        gems={**STATEMENT_GEMS, "pearl": 10},
        carat=(1.0, 4.0),
        accent=True,
        cuts=("oval", "cushion", "emerald", "round"),
        weight=8.0,
        weight_in_choice=8,
    ),
    # --- anklets
    _d(
        "chain-anklet",
        "anklets",
        (
            "Chain Anklet",
            "链式脚链",
            "Chaîne de cheville",
            "Fußkettchen",
            "Tobillera de cadena",
            "チェーンアンクレット",
            "خلخال سلسلة",
        ),
        "chain anklet",
        "m",
        ("anklets", "chain"),
        150,
        layout="none",
        metals=EVERYDAY_METALS,
        weight=2.5,
        weight_in_choice=10,
    ),
    _d(
        "charm-anklet",
        "anklets",
        (
            "Charm Anklet",
            "吊饰脚链",
            "Chaîne de cheville à breloques",
            "Charm-Fußkettchen",
            "Tobillera con dijes",
            "チャームアンクレット",
            "خلخال بتعليقات",
        ),
        "charm anklet",
        "m",
        ("anklets", "charm"),
        190,
        layout="line",
        gems=CHARM_GEMS,
        carat=(0.2, 1.0),
        count=(5, 5),
        cuts=("round",),
        metals=EVERYDAY_METALS,
        weight=3.0,
        weight_in_choice=8,
    ),
)

# Share of the catalog per leaf category (normalised), and its product type and SKU prefix.
LEAVES: dict[str, tuple[int, str, str]] = {
    "engagement-rings": (13, "Engagement Ring", "ER"),
    "wedding-bands": (9, "Wedding Band", "WB"),
    "cocktail-rings": (8, "Ring", "CR"),
    "pendants": (12, "Pendant Necklace", "PN"),
    "chains": (6, "Chain Necklace", "CH"),
    "studs": (11, "Stud Earrings", "ST"),
    "hoops": (8, "Hoop Earrings", "HO"),
    "drops": (8, "Drop Earrings", "DR"),
    "bangles": (7, "Bangle", "BG"),
    "tennis-bracelets": (6, "Tennis Bracelet", "TB"),
    "brooches": (5, "Brooch", "BR"),
    "anklets": (5, "Anklet", "AN"),
}
RING_LEAVES = ("engagement-rings", "wedding-bands", "cocktail-rings")

# =============================================================================================
# Sentences
# =============================================================================================

# One sentence about the design, per leaf, in LANGS order.
STYLE_SENTENCES: dict[str, tuple[str, ...]] = {
    "engagement-rings": (
        "A timeless design with a raised setting that lets light into the stone from every side.",
        "经典永恒的设计，高耸的镶座让光线从各个角度进入宝石，璀璨夺目。",
        "Un dessin intemporel, avec une monture surélevée qui laisse la lumière traverser la "
        "pierre.",
        "Ein zeitloses Design mit erhöhter Fassung, die den Stein von allen Seiten zum Funkeln "
        "bringt.",
        "Un diseño atemporal con un engaste elevado que deja pasar la luz a la piedra desde "
        "todos los ángulos.",
        "石の下まで光を取り込む高めのセッティングで、どの角度からも美しく輝く永遠のデザインです。",
        "تصميم خالد بترصيع مرتفع يسمح للضوء بالوصول إلى الحجر من كل الجهات.",
    ),
    "wedding-bands": (
        "Comfortable enough to wear every day and made to be worn for a lifetime.",
        "佩戴舒适，适合日常佩戴，陪伴一生。",
        "Assez confortable pour être portée tous les jours, et faite pour durer toute une vie.",
        "Bequem genug für jeden Tag und gemacht für ein ganzes Leben.",
        "Lo bastante cómoda para llevarla a diario y hecha para toda la vida.",
        "毎日着けても心地よく、一生寄り添うように作られたリングです。",
        "قطعة مريحة بما يكفي لارتدائها كل يوم، وصُنعت لترافقك مدى الحياة.",
    ),
    "cocktail-rings": (
        "A bold statement piece for evenings out, with a stone chosen for its vivid colour.",
        "大胆夺目的设计，精选色彩浓郁的宝石，是晚宴场合的焦点之选。",
        "Une pièce audacieuse pour vos soirées, avec une pierre choisie pour l'éclat de sa "
        "couleur.",
        "Ein ausdrucksstarkes Schmuckstück für besondere Abende, mit einem Stein in "
        "leuchtender Farbe.",
        "Una pieza atrevida para las noches especiales, con una piedra elegida por su color "
        "intenso.",
        "鮮やかな色の石を主役にした、特別な夜にふさわしい存在感のあるリングです。",
        "قطعة جريئة للسهرات، بحجر مختار للونه الزاهي.",
    ),
    "pendants": (
        "Comes on a fine adjustable chain that can be worn at 16 or 18 inches.",
        "搭配可调节精致链条，可佩戴为40或45厘米长度。",
        "Livré sur une fine chaîne réglable, à porter en 40 ou 45 cm.",
        "Geliefert an einer feinen, verstellbaren Kette, die sich auf 40 oder 45 cm tragen lässt.",
        "Se entrega con una fina cadena ajustable que puede llevarse a 40 o 45 cm.",
        "40cmと45cmの長さに調節できる華奢なチェーンが付属します。",
        "تأتي مع سلسلة رفيعة قابلة للتعديل بطول 40 أو 45 سم.",
    ),
    "chains": (
        "A versatile chain that looks just as good on its own as with a favourite pendant.",
        "百搭链条，单独佩戴或搭配心爱的吊坠都同样出彩。",
        "Une chaîne polyvalente, aussi belle seule qu'avec votre pendentif préféré.",
        "Eine vielseitige Kette, die allein ebenso schön wirkt wie mit einem Lieblingsanhänger.",
        "Una cadena versátil que luce igual de bien sola que con tu colgante favorito.",
        "単独でも、お気に入りのペンダントトップと合わせても映える万能なチェーンです。",
        "سلسلة متعددة الاستخدامات تبدو رائعة بمفردها أو مع دلايتك المفضلة.",
    ),
    "studs": (
        "Secure butterfly backs keep them comfortably in place from morning to night.",
        "稳固的蝴蝶耳堵，从早到晚佩戴舒适安心。",
        "Des fermoirs papillon sécurisés les maintiennent confortablement du matin au soir.",
        "Sichere Butterfly-Verschlüsse halten sie bequem vom Morgen bis zum Abend.",
        "Los cierres de presión seguros los mantienen cómodamente en su sitio de la mañana a "
        "la noche.",
        "しっかりとしたキャッチで、朝から夜まで快適に着けていられます。",
        "تثبّت الأقفال الفراشية الآمنة الأقراط براحة من الصباح حتى المساء.",
    ),
    "hoops": (
        "A hinged click-top closure makes them easy to put on and secure to wear.",
        "铰链式按扣设计，佩戴方便又稳固。",
        "Un fermoir à charnière clic les rend faciles à mettre et sûres à porter.",
        "Ein Klappverschluss mit Scharnier macht sie leicht anzulegen und sicher zu tragen.",
        "Un cierre de bisagra los hace fáciles de poner y seguros de llevar.",
        "ワンタッチで開閉できるヒンジ式で、着け外しが簡単で安心です。",
        "يجعل القفل المفصلي ارتداءها سهلاً وآمناً.",
    ),
    "drops": (
        "They move gently with you and catch the light with every turn of the head.",
        "随步轻摇，每一次转头都闪耀动人。",
        "Elles bougent doucement avec vous et captent la lumière à chaque mouvement.",
        "Sie bewegen sich sanft mit und fangen bei jeder Kopfbewegung das Licht ein.",
        "Se mueven suavemente contigo y atrapan la luz con cada giro de cabeza.",
        "動きに合わせて軽やかに揺れ、顔まわりに光を添えます。",
        "تتمايل برقة مع حركتك وتلتقط الضوء مع كل التفاتة.",
    ),
    "bangles": (
        "A smooth, rounded inner edge makes it comfortable to stack with watches and other "
        "bracelets.",
        "内圈圆润光滑，与腕表或其他手链叠戴也十分舒适。",
        "Son intérieur arrondi le rend confortable à porter avec une montre ou d'autres bracelets.",
        "Die glatte, abgerundete Innenseite macht ihn bequem zu tragen, auch zusammen mit Uhr "
        "und anderen Armbändern.",
        "Su interior liso y redondeado la hace cómoda de combinar con relojes y otras pulseras.",
        "内側をなめらかに仕上げているので、時計や他のブレスレットとの重ね付けも快適です。",
        "حافته الداخلية الناعمة والمستديرة تجعله مريحاً عند تنسيقه مع الساعات والأساور الأخرى.",
    ),
    "tennis-bracelets": (
        "Each stone sits in its own setting on a flexible line that drapes softly around the "
        "wrist, closed by a double safety clasp.",
        "每颗宝石独立镶嵌，链身柔软贴合手腕，配有双重安全扣。",
        "Chaque pierre repose dans son propre serti sur une ligne souple qui épouse le poignet, "
        "fermée par un double fermoir de sécurité.",
        "Jeder Stein sitzt in einer eigenen Fassung auf einer flexiblen Reihe, die sich weich "
        "um das Handgelenk legt, gesichert durch einen doppelten Sicherheitsverschluss.",
        "Cada piedra va en su propio engaste sobre una línea flexible que se adapta a la "
        "muñeca, con doble cierre de seguridad.",
        "一石ずつ留めたしなやかなラインが手首に沿い、ダブルセーフティクラスプで安心して着けられます。",
        "يستقر كل حجر في ترصيعه الخاص على خط مرن يلتف برقة حول المعصم، مع قفل أمان مزدوج.",
    ),
    "brooches": (
        "Pin it to a lapel, a scarf or a hat: a secure locking clasp keeps it in place.",
        "可别于翻领、丝巾或帽子上，安全锁扣牢固可靠。",
        "À épingler sur un revers, un foulard ou un chapeau : un fermoir à verrou la maintient "
        "en place.",
        "Am Revers, am Schal oder am Hut: Ein sicherer Verschluss hält sie an ihrem Platz.",
        "Colócalo en una solapa, un pañuelo o un sombrero: su cierre de seguridad lo mantiene "
        "en su sitio.",
        "ラペルやスカーフ、帽子にも。ロック式の留め具でしっかり固定できます。",
        "ثبّته على طية السترة أو الوشاح أو القبعة، فالمشبك المحكم يبقيه في مكانه.",
    ),
    "anklets": (
        "Light and delicate, with an extension chain so it sits just right above the ankle.",
        "轻盈精致，附延长链，可调节至合适长度。",
        "Légère et délicate, avec une chaînette d'extension pour un ajustement parfait à la "
        "cheville.",
        "Leicht und zart, mit Verlängerungskette für den perfekten Sitz über dem Knöchel.",
        "Ligera y delicada, con cadena de extensión para que quede perfecta sobre el tobillo.",
        "軽やかで繊細なデザイン。アジャスターチェーン付きで足首にぴったり合わせられます。",
        "خفيف ورقيق، مع سلسلة إضافية لضبط المقاس فوق الكاحل تماماً.",
    ),
}

# Used instead of the style sentence for some products, so descriptions do not all read alike.
OCCASION_SENTENCES: tuple[tuple[str, ...], ...] = (
    (
        "A thoughtful gift for anniversaries and birthdays, delivered in our signature box.",
        "纪念日与生日的贴心礼物，以品牌专属礼盒呈现。",
        "Un cadeau attentionné pour un anniversaire, livré dans notre écrin signature.",
        "Ein liebevolles Geschenk zu Jahrestagen und Geburtstagen, geliefert in unserem Etui.",
        "Un regalo especial para aniversarios y cumpleaños, entregado en nuestro estuche "
        "exclusivo.",
        "記念日や誕生日の贈り物に。オリジナルボックスでお届けします。",
        "هدية مميزة للذكرى السنوية وأعياد الميلاد، تصلك في علبتنا الخاصة.",
    ),
    (
        "Designed in our studio and finished by hand by our jewellers.",
        "由我们的工作室设计，珠宝匠人手工精制。",
        "Conception dans notre atelier et finitions à la main par nos joailliers.",
        "In unserem Atelier entworfen und von unseren Goldschmieden von Hand vollendet.",
        "Diseño de nuestro taller, con acabado a mano por nuestros joyeros.",
        "自社アトリエでデザインし、職人が一点ずつ手作業で仕上げています。",
        "من تصميم مشغلنا، وبتشطيب يدوي على أيدي صاغتنا.",
    ),
    (
        "Pairs beautifully with the other pieces of the collection.",
        "与系列中的其他作品搭配相得益彰。",
        "S'accorde à merveille avec les autres pièces de la collection.",
        "Harmoniert wunderbar mit den anderen Stücken der Kollektion.",
        "Combina a la perfección con las demás piezas de la colección.",
        "コレクションの他のアイテムとも美しく調和します。",
        "تتناغم القطعة بجمال مع قطع المجموعة الأخرى.",
    ),
    (
        "Every piece is hallmarked and comes with a certificate of authenticity.",
        "每件作品均有印记，并附真品证书。",
        "Chaque pièce est poinçonnée et accompagnée d'un certificat d'authenticité.",
        "Jedes Stück ist punziert und wird mit einem Echtheitszertifikat geliefert.",
        "Cada pieza lleva su contraste de garantía y un certificado de autenticidad.",
        "すべての製品に刻印と品質保証書が付きます。",
        "كل قطعة مدموغة وتأتي مع شهادة أصالة.",
    ),
)

CARE_SENTENCES: dict[str, tuple[str, ...]] = {
    "fine": (
        "To care for it, clean with warm soapy water and a soft brush, then dry with a "
        "lint-free cloth.",
        "保养：用温和肥皂水和软毛刷清洁，再用无绒布擦干。",
        "Entretien : eau tiède savonneuse et brosse douce, puis séchage avec un chiffon doux.",
        "Pflege: mit warmem Seifenwasser und einer weichen Bürste reinigen und mit einem "
        "fusselfreien Tuch trocknen.",
        "Cuidados: lavar con agua tibia y jabón suave usando un cepillo blando y secar con un "
        "paño que no suelte pelusa.",
        "お手入れは、ぬるま湯と中性洗剤でやさしく洗い、柔らかい布で水気を拭き取ってください。",
        "العناية: تُنظف بالماء الدافئ والصابون وفرشاة ناعمة، ثم تُجفف بقطعة قماش ناعمة.",
    ),
    "silver": (
        "Sterling silver darkens naturally over time: store it in the pouch provided and "
        "polish with a silver cloth.",
        "纯银会随时间自然氧化，请存放于附带的首饰袋中，并用擦银布擦拭。",
        "L'argent s'oxyde naturellement avec le temps : rangez le bijou dans sa pochette et "
        "faites-le briller avec une chamoisine.",
        "Silber läuft mit der Zeit natürlich an: im beiliegenden Beutel aufbewahren und mit "
        "einem Silberputztuch polieren.",
        "La plata se oscurece con el tiempo de forma natural: guárdala en la bolsita incluida "
        "y púlela con un paño para plata.",
        "シルバーは時間とともに自然に黒ずむため、付属のポーチに保管し、シルバークロスで磨いてください。",
        "تتأكسد الفضة بشكل طبيعي مع الوقت: احفظها في الكيس المرفق ولمّعها بقطعة قماش خاصة بالفضة.",
    ),
    "pearl": (
        "Pearls are delicate: put them on after perfume and wipe them with a soft, damp cloth "
        "after wearing.",
        "珍珠娇贵，请在喷香水后佩戴，摘下后用柔软湿布轻拭。",
        "Les perles sont délicates : mettez-les après le parfum et essuyez-les avec un chiffon "
        "doux et humide après chaque port.",
        "Perlen sind empfindlich: erst nach dem Parfüm anlegen und nach dem Tragen mit einem "
        "weichen, feuchten Tuch abwischen.",
        "Las perlas son delicadas: póntelas después del perfume y límpialas con un paño suave "
        "y húmedo tras usarlas.",
        "パールはデリケートな宝石です。香水の後に着け、外したら柔らかい布で拭いてください。",
        "اللؤلؤ رقيق: ارتديه بعد العطر وامسحه بقطعة قماش ناعمة ورطبة بعد كل استخدام.",
    ),
    "soft": (
        "The stone is more delicate than diamond: avoid ultrasonic cleaners and hard knocks, "
        "and clean it gently with a soft cloth.",
        "宝石比钻石更娇贵，请避免超声波清洗和磕碰，用软布轻轻擦拭。",
        "La pierre est plus fragile qu'un diamant : évitez les nettoyeurs à ultrasons et les "
        "chocs, et nettoyez-la délicatement avec un chiffon doux.",
        "Der Stein ist empfindlicher als ein Diamant: keine Ultraschallreinigung, Stöße "
        "vermeiden und sanft mit einem weichen Tuch reinigen.",
        "La piedra es más delicada que un diamante: evita los limpiadores ultrasónicos y los "
        "golpes, y límpiala con suavidad con un paño blando.",
        "石はダイヤモンドよりデリケートです。超音波洗浄や衝撃を避け、柔らかい布でやさしくお手入れしてください。",
        "الحجر أكثر رقة من الألماس: تجنب أجهزة التنظيف بالموجات فوق الصوتية والصدمات، ونظّفه "
        "برفق بقطعة قماش ناعمة.",
    ),
}

# =============================================================================================
# Collections, exchange rates, customers
# =============================================================================================

COLLECTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "bridal",
        ("Bridal", "婚嫁系列", "Mariage", "Braut", "Novias", "ブライダル", "الزفاف"),
        (
            "Engagement rings, wedding bands and diamond pieces for the big day.",
            "为人生重要时刻甄选的订婚戒指、婚戒与钻石珠宝。",
            "Bagues de fiançailles, alliances et diamants pour le grand jour.",
            "Verlobungsringe, Trauringe und Diamantschmuck für den großen Tag.",
            "Anillos de compromiso, alianzas y joyas de diamantes para el gran día.",
            "特別な日のためのエンゲージリング、マリッジリング、ダイヤモンドジュエリー。",
            "خواتم خطوبة ودبل زفاف وقطع ألماس لليوم الكبير.",
        ),
    ),
    (
        "everyday-gold",
        (
            "Everyday gold",
            "日常金饰",
            "L'or au quotidien",
            "Gold für jeden Tag",
            "Oro para cada día",
            "毎日のゴールド",
            "ذهب لكل يوم",
        ),
        (
            "Yellow and rose gold essentials made to be worn every day.",
            "适合每天佩戴的黄金与玫瑰金基本款。",
            "Les essentiels en or jaune et or rose, faits pour être portés chaque jour.",
            "Lieblingsstücke aus Gelb- und Roségold, gemacht für jeden Tag.",
            "Esenciales de oro amarillo y rosa para llevar todos los días.",
            "毎日身に着けたい、イエローゴールドとローズゴールドの定番アイテム。",
            "قطع أساسية من الذهب الأصفر والوردي لترتديها كل يوم.",
        ),
    ),
    (
        "birthstones",
        (
            "Birthstones",
            "生辰石",
            "Pierres de naissance",
            "Geburtssteine",
            "Piedras natales",
            "誕生石",
            "أحجار الميلاد",
        ),
        (
            "A stone for every month, from January garnet to December tanzanite.",
            "每个月份都有专属宝石，从一月石榴石到十二月坦桑石。",
            "Une pierre pour chaque mois, du grenat de janvier à la tanzanite de décembre.",
            "Ein Stein für jeden Monat, vom Granat im Januar bis zum Tansanit im Dezember.",
            "Una piedra para cada mes, del granate de enero a la tanzanita de diciembre.",
            "1月のガーネットから12月のタンザナイトまで、月ごとの誕生石ジュエリー。",
            "حجر لكل شهر، من غارنيت يناير إلى تنزانيت ديسمبر.",
        ),
    ),
    (
        "pearls-classics",
        (
            "Pearls & classics",
            "珍珠与经典",
            "Perles et classiques",
            "Perlen & Klassiker",
            "Perlas y clásicos",
            "パール＆クラシック",
            "اللؤلؤ والكلاسيكيات",
        ),
        (
            "Cultured pearls, diamond studs and tennis bracelets that never go out of style.",
            "永不过时的养殖珍珠、钻石耳钉与网球手链。",
            "Perles de culture, puces diamant et bracelets rivière qui ne se démodent jamais.",
            "Zuchtperlen, Diamant-Ohrstecker und Tennisarmbänder, die nie aus der Mode kommen.",
            "Perlas cultivadas, pendientes de diamantes y pulseras tenis que nunca pasan de moda.",
            "流行に左右されない、パール、ダイヤモンドスタッド、テニスブレスレット。",
            "لؤلؤ مستزرع وأقراط ألماس وأساور تنس لا تخرج عن الموضة أبداً.",
        ),
    ),
    (
        "gifts-under-200",
        (
            "Gifts under $200",
            "200美元以下的礼物",
            "Cadeaux à moins de 200 $",
            "Geschenke unter 200 $",
            "Regalos por menos de 200 $",
            "200ドル以下のギフト",
            "هدايا بأقل من 200 دولار",
        ),
        (
            "Thoughtful pieces under $200, gift-wrapped for free.",
            "200美元以内的贴心好礼，免费礼品包装。",
            "Des bijoux à moins de 200 $, avec emballage cadeau offert.",
            "Schöne Stücke unter 200 $, kostenlos als Geschenk verpackt.",
            "Joyas por menos de 200 $, con envoltorio de regalo gratuito.",
            "200ドル以下の心のこもったジュエリー。ギフトラッピング無料。",
            "قطع مميزة بأقل من 200 دولار مع تغليف هدايا مجاني.",
        ),
    ),
    (
        "new-season",
        (
            "New season",
            "当季新品",
            "Nouvelle saison",
            "Neue Saison",
            "Nueva temporada",
            "新作コレクション",
            "الموسم الجديد",
        ),
        (
            "The latest designs from our studio, just arrived.",
            "工作室最新设计，全新上市。",
            "Les dernières créations de notre atelier, tout juste arrivées.",
            "Die neuesten Entwürfe aus unserem Atelier, gerade eingetroffen.",
            "Los últimos diseños de nuestro taller, recién llegados.",
            "アトリエから届いたばかりの最新デザイン。",
            "أحدث تصاميم مشغلنا، وصلت للتو.",
        ),
    ),
)
BIRTHSTONES = (
    "garnet",
    "amethyst",
    "aquamarine",
    "emerald",
    "pearl",
    "ruby",
    "peridot",
    "sapphire",
    "opal",
    "topaz",
    "citrine",
    "tanzanite",
)

EXCHANGE_RATES = {
    "EUR": Decimal("0.92"),
    "GBP": Decimal("0.79"),
    "CNY": Decimal("7.24"),
    "JPY": Decimal("151.5"),
    "AED": Decimal("3.6725"),
}

# first name, last name, e-mail local part (ASCII), e-mail domain
CUSTOMERS: tuple[tuple[str, str, str], ...] = (
    ("Emma", "Johnson", "emma.johnson"),
    ("Olivia", "Smith", "olivia.smith"),
    ("Liam", "Brown", "liam.brown"),
    ("Noah", "Davis", "noah.davis"),
    ("Ava", "Miller", "ava.miller"),
    ("Sophia", "Wilson", "sophia.wilson"),
    ("Amelia", "Taylor", "amelia.taylor"),
    ("Oliver", "Evans", "oliver.evans"),
    ("Isla", "Thomas", "isla.thomas"),
    ("George", "Roberts", "george.roberts"),
    ("Charlotte", "Walker", "charlotte.walker"),
    ("Camille", "Martin", "camille.martin"),
    ("Léa", "Bernard", "lea.bernard"),
    ("Hugo", "Dubois", "hugo.dubois"),
    ("Chloé", "Moreau", "chloe.moreau"),
    ("Lucas", "Laurent", "lucas.laurent"),
    ("Manon", "Lefèvre", "manon.lefevre"),
    ("Hannah", "Müller", "hannah.mueller"),
    ("Lena", "Schmidt", "lena.schmidt"),
    ("Jonas", "Schneider", "jonas.schneider"),
    ("Mia", "Fischer", "mia.fischer"),
    ("Leon", "Weber", "leon.weber"),
    ("Sophie", "Wagner", "sophie.wagner"),
    ("Lucía", "García", "lucia.garcia"),
    ("Martina", "Fernández", "martina.fernandez"),
    ("Pablo", "López", "pablo.lopez"),
    ("Sofía", "Martínez", "sofia.martinez"),
    ("Daniel", "Sánchez", "daniel.sanchez"),
    ("Valentina", "Hernández", "valentina.hernandez"),
    ("Mateo", "Ramírez", "mateo.ramirez"),
    ("Camila", "Torres", "camila.torres"),
    ("芳", "王", "wang.fang"),
    ("娜", "李", "li.na"),
    ("伟", "张", "zhang.wei"),
    ("洋", "刘", "liu.yang"),
    ("静", "陈", "chen.jing"),
    ("敏", "杨", "yang.min"),
    ("美咲", "佐藤", "misaki.sato"),
    ("陽翔", "鈴木", "haruto.suzuki"),
    ("結衣", "高橋", "yui.takahashi"),
    ("蓮", "田中", "ren.tanaka"),
    ("さくら", "伊藤", "sakura.ito"),
    ("葵", "渡辺", "aoi.watanabe"),
    ("فاطمة", "الهاشمي", "fatima.alhashimi"),
    ("مريم", "المنصوري", "maryam.almansouri"),
    ("أحمد", "الكعبي", "ahmed.alkaabi"),
    ("نورة", "السويدي", "noura.alsuwaidi"),
    ("خالد", "النعيمي", "khalid.alnuaimi"),
    ("ليلى", "حداد", "layla.haddad"),
    ("Giulia", "Rossi", "giulia.rossi"),
    ("Francesca", "Russo", "francesca.russo"),
    ("Marco", "Bianchi", "marco.bianchi"),
    ("Priya", "Sharma", "priya.sharma"),
    ("Ananya", "Patel", "ananya.patel"),
    ("Arjun", "Mehta", "arjun.mehta"),
    ("Beatriz", "Souza", "beatriz.souza"),
    ("Gabriel", "Oliveira", "gabriel.oliveira"),
    ("Chiamaka", "Okafor", "chiamaka.okafor"),
    ("Tunde", "Adebayo", "tunde.adebayo"),
    ("Jiwoo", "Kim", "jiwoo.kim"),
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


# =============================================================================================
# Planning products (pure: no database, the same seed always gives the same plan)
# =============================================================================================


@dataclass
class VariantPlan:
    sku: str
    option1: str
    option2: str
    metal: str
    purity: str
    ring_size: str
    price: Decimal
    compare_at_price: Decimal | None
    stock: int
    weight: Decimal
    position: int


@dataclass
class StonePlan:
    gem: str
    count: int
    carat: Decimal | None  # total weight of the row's stones
    colour: str
    clarity: str
    cut: str


@dataclass
class ImagePlan:
    metal_hex: str
    view: int
    alt_text: str


@dataclass
class ProductPlan:
    index: int
    design: Design
    metals: list[tuple[str, str]]  # (metal slug, purity), the first is the main one
    gem: str | None
    cut: str | None  # None for pearls and cabochons
    carat_each: Decimal | None
    stone_count: int
    pearl_mm: int | None
    accent_ct: Decimal | None
    accent_count: int
    handle: str = ""
    texts: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    variants: list[VariantPlan] = field(default_factory=list)
    stones: list[StonePlan] = field(default_factory=list)
    images: list[ImagePlan] = field(default_factory=list)
    status: str = PublicationStatus.PUBLISHED
    featured: bool = False
    age_days: float = 0.0
    tags: str = ""
    occasion: int | None = None  # an OCCASION_SENTENCES index instead of the style sentence

    @property
    def metal(self) -> str:
        return self.metals[0][0]

    @property
    def purity(self) -> str:
        return self.metals[0][1]

    @property
    def layout(self) -> str:
        return self.design.layout if self.gem else "none"

    @property
    def total_carat(self) -> Decimal | None:
        if self.carat_each is None:
            return None
        if self.layout == "line":
            return self.carat_each
        return self.carat_each * self.stone_count

    @property
    def price_min(self) -> Decimal:
        return min(v.price for v in self.variants)

    @property
    def price_max(self) -> Decimal:
        return max(v.price for v in self.variants)

    @property
    def in_stock(self) -> bool:
        return any(v.stock for v in self.variants)

    @property
    def draw_shape(self) -> str | None:
        if self.gem == "pearl":
            return "pearl"
        if self.gem == "opal":
            return "cabochon"
        return self.cut


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def _quantize_ct(value: float, step: float = 0.05) -> Decimal:
    steps = max(1, round(value / step))
    return (Decimal(str(step)) * steps).quantize(Decimal("0.01"))


def _retail(value: float) -> Decimal:
    """A believable shelf price: 59.00, 245.00, 1,450.00, 12,300.00."""
    if value < 100:
        amount = max(19, int(round(value / 10.0)) * 10 - 1)
    elif value < 1000:
        amount = int(round(value / 5.0)) * 5
    elif value < 10000:
        amount = int(round(value / 50.0)) * 50
    else:
        amount = int(round(value / 100.0)) * 100
    return Decimal(amount).quantize(Decimal("0.01"))


METAL_PRICE = {"14K": 1.0, "18K": 1.32, "950": 1.55, "925": 0.4}


def _stone_value(gem: str, carat_each: float, count: int, *, melee: bool = False) -> float:
    g = GEMS[gem]
    if melee:
        # Small calibrated stones cost far less per carat than a centre stone.
        return g.price_per_ct * 0.45 * carat_each * count
    return g.price_per_ct * (carat_each**g.exponent) * count


def _pearl_value(mm: int, count: int) -> float:
    return (25 + (mm - 5) ** 2 * 6) * count


def _choose_metals(rng: random.Random, design: Design) -> list[tuple[str, str]]:
    metal = _pick(rng, design.metals)
    if metal in GOLD_COLOUR:
        bridal = design.leaf in RING_LEAVES[:2] or design.leaf == "tennis-bracelets"
        purity = "18K" if rng.random() < (0.6 if bridal else 0.4) else "14K"
    elif metal == "platinum":
        purity = "950"
    else:
        purity = "925"
    metals = [(metal, purity)]
    # Some pieces are offered in a second metal (the same design in white or yellow gold).
    if rng.random() < (0.35 if design.leaf in RING_LEAVES else 0.2):
        if metal in GOLD_COLOUR:
            other = rng.choice([m for m in GOLD_COLOUR if m != metal])
            metals.append((other, purity))
        elif metal == "platinum":
            metals.append(("white-gold", "18K"))
    return metals


def _choose_gem(rng: random.Random, design: Design, metal: str) -> str | None:
    if design.layout == "none" or not design.gems:
        return None
    if design.gem_optional and rng.random() < design.gem_optional:
        return None
    pool = dict(design.gems)
    if metal == "sterling-silver":
        pool = {k: v for k, v in pool.items() if k in SILVER_GEMS}
        if not pool:
            return None
    return _pick(rng, pool)


def _choose_cut(rng: random.Random, design: Design, gem: str) -> str | None:
    if gem in ("pearl", "opal"):
        return None
    if design.cuts:
        return rng.choice(design.cuts)
    weights = dict(CUT_WEIGHTS)
    if gem == "emerald":
        weights["emerald"] = 40
    return _pick(rng, weights)


def _plan_stones(rng: random.Random, plan: ProductPlan) -> None:
    design, gem = plan.design, plan.gem
    if gem is None:
        return
    g = GEMS[gem]
    if gem == "pearl":
        low, high = {"studs": (6, 8), "anklets": (4, 5), "brooches": (9, 11)}.get(
            design.leaf, (7, 10)
        )
        plan.pearl_mm = rng.randint(low, high)
    low, high = design.carat
    if design.layout == "line":
        plan.stone_count = rng.randint(*design.count)
        plan.carat_each = _quantize_ct(rng.uniform(low, high))
    else:
        plan.stone_count = 2 if design.layout == "pair" else 1
        if gem == "diamond":
            # Diamond weights cluster on the sizes people ask for.
            value = rng.triangular(low, high, low + (high - low) * 0.3)
        else:
            value = rng.uniform(low, high)
        plan.carat_each = _quantize_ct(value, 0.01 if value < 0.2 else 0.05)
    if gem == "pearl":
        plan.carat_each = None
    # Silver pieces are set with their main stones only: diamond accents would not fit the price.
    if design.accent and plan.metal != "sterling-silver":
        if design.accent_kind == "sides":
            plan.accent_count = 2
            base = float(plan.carat_each or Decimal("0.5"))
            plan.accent_ct = _quantize_ct(max(0.1, base * rng.uniform(0.4, 0.6)))
        else:
            plan.accent_count = rng.randint(14, 32)
            plan.accent_ct = _quantize_ct(rng.uniform(0.15, 0.6))
    precious = gem in ("diamond", "sapphire", "ruby", "emerald", "tanzanite")
    clarity = ""
    if gem == "diamond":
        clarity = rng.choice(["VVS1", "VVS2", "VS1", "VS1", "VS2", "VS2", "SI1"])
    elif precious or gem in ("aquamarine", "morganite", "topaz", "amethyst", "citrine"):
        clarity = rng.choice(["VVS2", "VS1", "VS2", "SI1"])
    cut = plan.cut or ("cabochon" if gem == "opal" else "")
    plan.stones.append(
        StonePlan(
            gem=gem,
            count=plan.stone_count,
            carat=plan.total_carat,
            colour=rng.choice(g.colours),
            clarity=clarity,
            cut=cut,
        )
    )
    if plan.accent_ct:
        plan.stones.append(
            StonePlan(
                gem="diamond",
                count=plan.accent_count,
                carat=plan.accent_ct,
                colour=rng.choice(["F-G", "G-H", "G-H", "H-I"]),
                clarity=rng.choice(["VS1", "VS2", "SI1"]),
                cut="round",
            )
        )


def _base_price(rng: random.Random, plan: ProductPlan, metal: str, purity: str) -> float:
    design = plan.design
    value = design.base * METAL_PRICE[purity]
    if plan.gem == "pearl" and plan.pearl_mm:
        value += _pearl_value(plan.pearl_mm, plan.stone_count)
    elif plan.gem and plan.carat_each is not None:
        if plan.layout == "line":
            each = float(plan.carat_each) / plan.stone_count
            value += _stone_value(plan.gem, each, plan.stone_count, melee=True)
        else:
            value += _stone_value(plan.gem, float(plan.carat_each), plan.stone_count)
    if plan.accent_ct:
        value += float(plan.accent_ct) * (2200 if design.accent_kind == "sides" else 1300)
    return value


def _plan_variants(rng: random.Random, plan: ProductPlan, leaf_code: str) -> None:
    design = plan.design
    noise = rng.uniform(0.92, 1.08)
    on_sale = rng.random() < 0.15
    sale_markup = rng.uniform(1.15, 1.4)
    sold_out = rng.random() < 0.08
    if design.leaf in RING_LEAVES:
        sizes = ["5", "6", "7", "8", "9", "10"] if design.leaf == "wedding-bands" else None
        sizes = sizes or ["5", "6", "7", "8"]
        second = ("Ring size", sizes)
    elif design.leaf == "chains":
        second = ("Length", ["16 in", "18 in", "20 in"])
    else:
        second = ("", [""])
    position = 0
    for metal, purity in plan.metals:
        base = _base_price(rng, plan, metal, purity) * noise
        for step, option2 in enumerate(second[1]):
            # Longer chains use more metal.
            price = _retail(base * (1 + 0.07 * step if second[0] == "Length" else 1))
            compare = _retail(float(price) * sale_markup) if on_sale else None
            if compare is not None and compare <= price:
                compare = None
            stock = 0 if sold_out else rng.choice([0] * 1 + list(range(1, 26)))
            weight = design.weight * METALS[metal].density * (1.1 if purity == "18K" else 1.0)
            weight *= rng.uniform(0.92, 1.08) * (1 + 0.05 * step if second[0] else 1)
            suffix = ""
            if second[0] == "Ring size":
                suffix = f"-{option2}"
            elif second[0] == "Length":
                suffix = f"-{option2.split()[0]}IN"
            plan.variants.append(
                VariantPlan(
                    sku=f"{leaf_code}{plan.index:04d}-{METALS[metal].code}{purity.rstrip('K')}"
                    f"{suffix}",
                    option1=metal_option(metal, purity),
                    option2=option2,
                    metal=metal,
                    purity=purity,
                    ring_size=option2 if second[0] == "Ring size" else "",
                    price=price,
                    compare_at_price=compare,
                    stock=stock,
                    weight=Decimal(str(round(weight, 2))).quantize(Decimal("0.01")),
                    position=position,
                )
            )
            position += 1
    if not sold_out and not any(v.stock for v in plan.variants):
        plan.variants[0].stock = rng.randint(1, 25)


def _plan_images(rng: random.Random, plan: ProductPlan, name: str) -> None:
    count = rng.choices([1, 2, 3], weights=[35, 40, 25], k=1)[0]
    main_hex = METALS[plan.metal].hex
    plan.images.append(ImagePlan(main_hex, 0, name))
    if count >= 2 and len(plan.metals) > 1:
        other, purity = plan.metals[1]
        plan.images.append(
            ImagePlan(METALS[other].hex, 0, f"{name} – {metal_option(other, purity)}")
        )
    details = ((1, "close-up"), (2, "another angle"))
    for view, label in details:
        if len(plan.images) >= count:
            break
        plan.images.append(ImagePlan(main_hex, view, f"{name} – {label}"))


def _leaf_counts(total: int, rng: random.Random) -> dict[str, int]:
    """Products per leaf category: proportional to the weights, at least one each.

    With fewer products than leaves, the most important leaves get one each.
    """
    weights = {leaf: w for leaf, (w, _type, _code) in LEAVES.items()}
    if total < len(weights):
        ranked = sorted(weights, key=lambda leaf: -weights[leaf])
        return dict.fromkeys(ranked[:total], 1)
    total_weight = sum(weights.values())
    counts = {leaf: max(1, int(total * w / total_weight)) for leaf, w in weights.items()}
    while sum(counts.values()) < total:
        counts[_pick(rng, weights)] += 1
    while sum(counts.values()) > total:
        counts[max(counts, key=lambda leaf: counts[leaf])] -= 1
    return counts


def plan_catalog(*, products: int, seed: int) -> list[ProductPlan]:
    """Everything about the demo products, decided before anything touches the database."""
    rng = _rng(seed, "products")
    counts = _leaf_counts(products, rng)
    designs_by_leaf: dict[str, list[Design]] = {}
    for design in DESIGNS:
        designs_by_leaf.setdefault(design.leaf, []).append(design)
    plans: list[ProductPlan] = []
    seen_names: set[str] = set()
    handles: set[str] = set()
    index = 0
    for leaf, count in counts.items():
        _weight, _type, code = LEAVES[leaf]
        options = designs_by_leaf[leaf]
        for _ in range(count):
            index += 1
            for _attempt in range(10):
                design = rng.choices(options, weights=[d.weight_in_choice for d in options])[0]
                metals = _choose_metals(rng, design)
                gem = _choose_gem(rng, design, metals[0][0])
                plan = ProductPlan(
                    index=index,
                    design=design,
                    metals=metals,
                    gem=gem,
                    cut=_choose_cut(rng, design, gem) if gem else None,
                    carat_each=None,
                    stone_count=0,
                    pearl_mm=None,
                    accent_ct=None,
                    accent_count=0,
                )
                name = product_name("en", plan)
                if name not in seen_names:
                    break
            seen_names.add(name)
            _plan_stones(rng, plan)
            plan.handle = _unique_handle(slugify(name)[:200] or f"product-{index}", handles)
            _plan_variants(rng, plan, code)
            _plan_images(rng, plan, name)
            plan.age_days = rng.uniform(0, 365)
            plan.status = (
                PublicationStatus.DRAFT if rng.random() < 0.05 else PublicationStatus.PUBLISHED
            )
            plan.featured = plan.status == PublicationStatus.PUBLISHED and rng.random() < 0.1
            if rng.random() < 0.35:
                plan.occasion = rng.randrange(len(OCCASION_SENTENCES))
            plan.texts = {lang: product_texts(lang, plan) for lang in LANGS}
            plan.tags = _tags(plan)
            plans.append(plan)
    return plans


def _unique_handle(base: str, taken: set[str]) -> str:
    handle = base
    n = 2
    while handle in taken:
        handle = f"{base}-{n}"
        n += 1
    taken.add(handle)
    return handle


def _tags(plan: ProductPlan) -> str:
    tags = [METALS[m].names[0].lower() for m, _p in plan.metals]
    if plan.gem:
        tags.append(GEMS[plan.gem].names[0].lower())
    if plan.cut:
        tags.append(plan.cut)
    style = plan.design.draw[1]
    if style and style not in ("plain", "bezel", "solo", "chain"):
        tags.append({"pave": "pavé", "three": "three-stone"}.get(style, style))
    if plan.price_min < 200:
        tags.append("gift")
    if plan.design.leaf in ("engagement-rings", "wedding-bands"):
        tags.append("bridal")
    return ", ".join(dict.fromkeys(tags))


# =============================================================================================
# Product texts in seven languages
# =============================================================================================


def _ct(lang: str, value: Decimal | None) -> str:
    text = f"{value or 0:.2f}"
    return text.replace(".", ",") if lang in ("fr", "de", "es") else text


def product_name(lang: str, plan: ProductPlan) -> str:
    i = LANGS.index(lang)
    noun = plan.design.names[i]
    metal = metal_text(lang, plan.metal, plan.purity, full=False)
    if plan.gem is None:
        return {
            "en": f"{metal} {noun}",
            "fr": f"{noun} en {metal}",
            "de": f"{noun} aus {metal}",
            "es": f"{noun} de {metal}",
            "ja": f"{metal} {noun}",
            "zh-hans": f"{metal}{noun}",
            "ar": f"{noun} من {metal}",
        }[lang]
    g = GEMS[plan.gem]
    line = plan.design.layout == "line"
    plural = plan.design.layout in ("pair", "line")
    cut = CUTS[plan.cut] if plan.cut and not line else None
    if lang == "en":
        parts = [metal, cut.en if cut else "", g.names[0], noun]
        return " ".join(p for p in parts if p)
    if lang == "fr":
        word, gender = (g.fr[1] if plural else g.fr[0]), g.fr[2]
        adj = cut.fr[(0 if gender == "m" else 1) + (2 if plural else 0)] if cut else ""
        return " ".join(p for p in (noun, word, adj) if p) + f" en {metal}"
    if lang == "de":
        word, gender = (g.de[1] if plural else g.de[0]), g.de[2]
        if cut and cut.de_adj:
            stone = f"{cut.de_adj[2] if plural else cut.de_adj[0 if gender == 'm' else 1]} {word}"
        elif cut:
            stone = f"{word} {cut.de_post}"
        else:
            stone = word
        return f"{noun} aus {metal} mit {stone}"
    if lang == "es":
        word, gender = (g.es[1] if plural else g.es[0]), g.es[2]
        adj = cut.es[(0 if gender == "m" else 1) + (2 if plural else 0)] if cut else ""
        return f"{noun} de {metal} con " + " ".join(p for p in (word, adj) if p)
    if lang == "ja":
        return f"{metal} {cut.ja if cut else ''}{g.names[i]} {noun}"
    if lang == "zh-hans":
        return f"{metal}{cut.zh if cut else ''}{g.names[i]}{noun}"
    # Arabic
    if line:
        adorned = "مرصع" if plan.design.ar_gender == "m" else "مرصعة"
        return f"{noun} من {metal} {adorned} ب{g.ar[1]}"
    word = "لؤلؤة" if plan.gem == "pearl" and not plural else g.ar[0]
    adj = cut.ar[0 if g.ar[2] == "m" else 1] if cut else ""
    return f"{noun} من {metal} مع " + " ".join(p for p in (word, adj) if p)


def _stone_sentence(lang: str, plan: ProductPlan) -> str:
    """First sentence: the metal, the stones and their weight."""
    i = LANGS.index(lang)
    metal = metal_text(lang, plan.metal, plan.purity, full=True)
    layout = plan.layout
    g = GEMS[plan.gem] if plan.gem else None
    cut = CUTS[plan.cut] if plan.cut else None
    ct = _ct(lang, plan.total_carat)
    n = plan.stone_count
    mm = plan.pearl_mm
    acc = _ct(lang, plan.accent_ct) if plan.accent_ct else ""
    sides = plan.design.accent_kind == "sides"
    if lang == "en":
        plural = plan.design.ar_gender == "pl"
        base = f"{'These' if plural else 'This'} {plan.design.en_desc} {'are' if plural else 'is'}"
        base += f" crafted in {metal}"
        if g is None:
            return f"{base} with a high-polish finish."
        accent = ""
        if acc:
            accent = (
                f", flanked by two diamonds totalling {acc} ct"
                if sides
                else f", framed by {acc} ct of pavé diamonds"
            )
        if plan.gem == "pearl":
            many = {"single": f"a {mm} mm cultured pearl", "pair": f"two {mm} mm cultured pearls"}
            return f"{base} and set with {many.get(layout, f'{n} {mm} mm cultured pearls')}."
        shape = f"{cut.en_desc} " if cut else ""
        if layout == "single":
            return f"{base} and set with a {ct} ct {shape}{g.names[0].lower()}{accent}."
        count = "two" if layout == "pair" else str(n)
        return f"{base} and set with {count} {shape}{g.en_plural} totalling {ct} ct{accent}."
    if lang == "fr":
        if g is None:
            return f"Création en {metal}, finition polie miroir."
        base = f"Monture en {metal} sertie"
        accent = ""
        if acc:
            accent = (
                f" et de deux diamants latéraux ({acc} ct au total)"
                if sides
                else f" et d'un pavé de diamants de {acc} ct"
            )
        if plan.gem == "pearl":
            many = {"single": f"d'une perle de culture de {mm} mm", "pair": "de deux perles"}
            text = many.get(layout, f"de {n} perles")
            if layout != "single":
                text += f" de culture de {mm} mm"
            return f"{base} {text}."
        gender = g.fr[2]
        if layout == "single":
            adj = f" {cut.fr[0 if gender == 'm' else 1]}" if cut else ""
            article = "d'un" if gender == "m" else "d'une"
            return f"{base} {article} {g.fr[0]}{adj} de {ct} ct{accent}."
        adj = f" {cut.fr[2 if gender == 'm' else 3]}" if cut else ""
        count = "deux" if layout == "pair" else str(n)
        return f"{base} de {count} {g.fr[1]}{adj} ({ct} ct au total){accent}."
    if lang == "de":
        if g is None:
            return f"Gefertigt aus {metal} mit hochglanzpolierter Oberfläche."
        base = f"Gefertigt aus {metal} und besetzt mit"
        accent = ""
        if acc:
            accent = (
                f" sowie zwei seitlichen Diamanten (zusammen {acc} ct)"
                if sides
                else f" sowie Pavé-Diamanten (zusammen {acc} ct)"
            )
        if plan.gem == "pearl":
            many = {
                "single": f"einer Zuchtperle von {mm} mm",
                "pair": f"zwei Zuchtperlen von je {mm} mm",
            }
            return f"{base} {many.get(layout, f'{n} Zuchtperlen von je {mm} mm')}."
        if layout == "single":
            article = "einem" if g.de[2] == "m" else "einer"
            if cut and cut.de_adj:
                stone = f"{article} {cut.de_adj[3]} {g.de[0]}"
            elif cut:
                stone = f"{article} {g.de[0]} {cut.de_post}"
            else:
                stone = f"{article} {g.de[0]}"
            return f"{base} {stone} von {ct} ct{accent}."
        count = "zwei" if layout == "pair" else str(n)
        if cut and cut.de_adj:
            stone = f"{count} {cut.de_adj[2]} {g.de[1]}"
        elif cut:
            stone = f"{count} {g.de[1]} {cut.de_post}"
        else:
            stone = f"{count} {g.de[1]}"
        return f"{base} {stone} (zusammen {ct} ct){accent}."
    if lang == "es":
        if g is None:
            return f"Pieza de {metal} con acabado pulido espejo."
        base = f"Montura de {metal} con"
        accent = ""
        if acc:
            accent = (
                f" y dos diamantes laterales ({acc} ct en total)"
                if sides
                else f" y un pavé de diamantes de {acc} ct"
            )
        if plan.gem == "pearl":
            many = {
                "single": f"una perla cultivada de {mm} mm",
                "pair": f"dos perlas cultivadas de {mm} mm",
            }
            return f"{base} {many.get(layout, f'{n} perlas cultivadas de {mm} mm')}."
        gender = g.es[2]
        if layout == "single":
            adj = f" {cut.es[0 if gender == 'm' else 1]}" if cut else ""
            article = "un" if gender == "m" else "una"
            return f"{base} {article} {g.es[0]}{adj} de {ct} ct{accent}."
        adj = f" {cut.es[2 if gender == 'm' else 3]}" if cut else ""
        count = "dos" if layout == "pair" else str(n)
        return f"{base} {count} {g.es[1]}{adj} ({ct} ct en total){accent}."
    if lang == "ja":
        if g is None:
            return f"{metal}を鏡面仕上げで丁寧に仕立てました。"
        if plan.gem == "pearl":
            many = {"single": f"{mm}mmのパールを", "pair": f"{mm}mmのパールを一粒ずつ"}
            return f"{metal}に{many.get(layout, f'{n}粒の{mm}mmパールを')}あしらいました。"
        stone = f"{cut.ja if cut else ''}{g.names[i]}"
        if layout == "single":
            text = f"{metal}に{ct}カラットの{stone}をセッティングしました。"
        elif layout == "pair":
            text = f"{metal}に{stone}を2石（合計{ct}カラット）セッティングしました。"
        else:
            text = f"{metal}に{n}石の{stone}（合計{ct}カラット）を連ねました。"
        if acc:
            text += (
                f"両脇には合計{acc}カラットのダイヤモンドを2石添えました。"
                if sides
                else f"周りを合計{acc}カラットのパヴェダイヤモンドが彩ります。"
            )
        return text
    if lang == "zh-hans":
        if g is None:
            return f"采用{metal}精心打造，表面高度抛光。"
        if plan.gem == "pearl":
            many = {"single": "一颗", "pair": "两颗"}
            return f"采用{metal}打造，点缀{many.get(layout, f'{n}颗')}{mm}毫米珍珠。"
        accent = ""
        if acc:
            accent = (
                f"，两侧各镶一颗钻石，总重{acc}克拉"
                if sides
                else f"，四周环绕总重{acc}克拉的密钉镶钻石"
            )
        stone = f"{cut.zh if cut else ''}{g.names[i]}"
        if layout == "single":
            return f"采用{metal}打造，镶嵌一颗{ct}克拉{stone}{accent}。"
        if layout == "pair":
            return f"采用{metal}打造，镶嵌两颗{stone}，总重{ct}克拉{accent}。"
        return f"采用{metal}打造，排镶{n}颗{stone}，总重{ct}克拉。"
    # Arabic
    if g is None:
        return f"قطعة مصنوعة من {metal} بلمسة نهائية لامعة."
    if plan.gem == "pearl":
        pearls = "بلؤلؤة مستزرعة" if layout == "single" else "بلآلئ مستزرعة"
        return f"قطعة مصنوعة من {metal} ومزينة {pearls} بقطر {mm} ملم."
    accent = ""
    if acc:
        accent = (
            f" ومحاطة بماستين جانبيتين بوزن إجمالي {acc} قيراط"
            if sides
            else f" ومحاطة بأحجار ألماس بافيه بوزن {acc} قيراط"
        )
    adj = f" {cut.ar[0]}" if cut else ""
    weight = "بوزن" if layout == "single" else "بوزن إجمالي"
    return f"قطعة مصنوعة من {metal} ومرصعة ب{g.ar[0]}{adj} {weight} {ct} قيراط{accent}."


def _care_key(plan: ProductPlan) -> str:
    if plan.gem == "pearl":
        return "pearl"
    if plan.gem and GEMS[plan.gem].soft:
        return "soft"
    if plan.metal == "sterling-silver":
        return "silver"
    return "fine"


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def product_texts(lang: str, plan: ProductPlan) -> tuple[str, str, str, str]:
    """(name, description, SEO title, SEO description) in one language."""
    i = LANGS.index(lang)
    name = product_name(lang, plan)
    first = _stone_sentence(lang, plan)
    if plan.occasion is not None:
        second = OCCASION_SENTENCES[plan.occasion][i]
    else:
        second = STYLE_SENTENCES[plan.design.leaf][i]
    care = CARE_SENTENCES[_care_key(plan)][i]
    joiner = "" if lang in ("ja", "zh-hans") else " "
    description = joiner.join((first, second, care))
    shop = settings.SHOP_NAME
    seo_title = f"{name} | {shop}" if len(name) + len(shop) + 3 <= 70 else _clip(name, 70)
    seo_description = _clip(joiner.join((first, second)), 160)
    return name, description, seo_title, seo_description


# =============================================================================================
# Drawing the pictures (runs in worker processes)
# =============================================================================================


@dataclass(frozen=True)
class ImageJob:
    seed: str
    category_slug: str
    style: str
    gem_hex: str | None
    gem_shape: str | None
    shots: tuple[tuple[str, int], ...]  # (metal colour, view)
    size: int = IMAGE_SIZE


def render_job(job: ImageJob) -> list[tuple[bytes, bytes, int, int]]:
    """JPEG original and WEBP thumbnail of each shot; each metal's piece is drawn once."""
    import io

    from .drawing import render_product_views
    from .images import make_thumbnail_bytes

    drawn: dict[str, list] = {}
    out = []
    for metal_hex, view in job.shots:
        if metal_hex not in drawn:
            views = 1 + max(v for m, v in job.shots if m == metal_hex)
            drawn[metal_hex] = render_product_views(
                seed=job.seed,
                category_slug=job.category_slug,
                metal_hex=metal_hex,
                gem_hex=job.gem_hex,
                size=job.size,
                gem_shape=job.gem_shape,
                style=job.style,
                views=views,
            )
        image = drawn[metal_hex][view]
        original = io.BytesIO()
        image.save(original, format="JPEG", quality=88)
        thumbnail = make_thumbnail_bytes(image, effort=1)
        out.append((original.getvalue(), thumbnail, image.width, image.height))
    return out


def _image_job(plan: ProductPlan) -> ImageJob:
    return ImageJob(
        seed=plan.handle,
        category_slug=plan.design.draw[0],
        style=plan.design.draw[1],
        gem_hex=GEMS[plan.gem].hex if plan.gem else None,
        gem_shape=plan.draw_shape,
        shots=tuple((image.metal_hex, image.view) for image in plan.images),
    )


def _render_all(jobs: list[ImageJob], processes: int) -> Iterable[list]:
    """Rendered jobs in order; in worker processes when there is enough work to share."""
    shots = sum(len(job.shots) for job in jobs)
    if processes > 1 and shots >= 60 and "fork" in multiprocessing.get_all_start_methods():
        # fork: the workers inherit the loaded code and settings and never touch the database.
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield from pool.imap(render_job, jobs, chunksize=4)
        return
    for job in jobs:
        yield render_job(job)


# =============================================================================================
# Steps writing to the database
# =============================================================================================


class CatalogNotEmpty(Exception):
    """seed_demo fills an empty store only."""


@dataclass
class DemoContext:
    seed: int
    products: int
    processes: int
    log: Callable[[str], None]
    categories: dict[str, Category] = field(default_factory=dict)
    metals: dict[str, Material] = field(default_factory=dict)
    materials: dict[str, Material] = field(default_factory=dict)
    gems: dict[str, GemstoneType] = field(default_factory=dict)
    plans: list[ProductPlan] = field(default_factory=list)
    product_ids: dict[str, int] = field(default_factory=dict)  # handle -> id
    written_files: list[str] = field(default_factory=list)
    merchant_password: str | None = None
    now: datetime | None = None

    def rng(self, step: str) -> random.Random:
        return _rng(self.seed, step)


def _rng(seed: int, step: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}:{step}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _translate(obj, values: dict[str, dict[str, str]]) -> None:
    """Sets the given fields in every language and saves the object with its translations."""
    for lang in LANGS:
        obj.set_current_language(lang)
        for field_name, value in values[lang].items():
            setattr(obj, field_name, value)
    obj.set_current_language(settings.LANGUAGE_CODE)
    obj.save()


def step_categories(ctx: DemoContext) -> dict[str, int]:
    shop = settings.SHOP_NAME
    for position, (slug, parent, names, descriptions) in enumerate(CATEGORIES):
        category = Category.objects.filter(slug=slug).first() or Category(slug=slug)
        category.parent = ctx.categories.get(parent) if parent else None
        category.position = position
        _translate(
            category,
            {
                lang: {
                    "name": names[i],
                    "description": descriptions[i],
                    "seo_title": _clip(f"{names[i]} | {shop}", 70),
                    "seo_description": _clip(descriptions[i], 320),
                }
                for i, lang in enumerate(LANGS)
            },
        )
        ctx.categories[slug] = category
    return {"categories": len(ctx.categories)}


def step_materials(ctx: DemoContext) -> dict[str, int]:
    rows = [(m.slug, Material.Kind.METAL, m.hex, m.names) for m in METALS.values()]
    rows += [(slug, Material.Kind.OTHER, hex_, names) for slug, hex_, names in OTHER_MATERIALS]
    for slug, kind, hex_, names in rows:
        material = Material.objects.filter(slug=slug).first() or Material(slug=slug)
        material.kind = kind
        material.colour_hex = hex_
        _translate(material, {lang: {"name": names[i]} for i, lang in enumerate(LANGS)})
        ctx.materials[slug] = material
        if kind == Material.Kind.METAL:
            ctx.metals[slug] = material
    for gem in GEMS.values():
        gem_type = GemstoneType.objects.filter(slug=gem.slug).first() or GemstoneType(slug=gem.slug)
        gem_type.colour_hex = gem.hex
        _translate(gem_type, {lang: {"name": gem.names[i]} for i, lang in enumerate(LANGS)})
        ctx.gems[gem.slug] = gem_type
    return {"materials": len(ctx.materials), "gemstone types": len(ctx.gems)}


def step_exchange_rates(ctx: DemoContext) -> dict[str, int]:
    from orders.models import ExchangeRate

    for currency, rate in EXCHANGE_RATES.items():
        ExchangeRate.objects.update_or_create(currency=currency, defaults={"rate": rate})
    return {"exchange rates": len(EXCHANGE_RATES)}


def step_products(ctx: DemoContext) -> dict[str, int]:
    if Product.objects.exists():
        raise CatalogNotEmpty(
            f"The catalog already has {Product.objects.count()} products; "
            "seed_demo only fills an empty store (use --if-empty to skip quietly)."
        )
    ctx.plans = plan_catalog(products=ctx.products, seed=ctx.seed)
    now = ctx.now
    vendor = settings.SHOP_NAME
    products = []
    for plan in ctx.plans:
        leaf_type = LEAVES[plan.design.leaf][1]
        has_sizes = plan.design.leaf in RING_LEAVES or plan.design.leaf == "chains"
        products.append(
            Product(
                handle=plan.handle,
                category=ctx.categories[plan.design.leaf],
                vendor=vendor,
                product_type=leaf_type,
                tags=plan.tags,
                status=plan.status,
                is_featured=plan.featured,
                option1_name="Metal",
                option2_name=(
                    ("Ring size" if plan.design.leaf in RING_LEAVES else "Length")
                    if has_sizes
                    else ""
                ),
                price_min=plan.price_min,
                price_max=plan.price_max,
                in_stock=plan.in_stock,
            )
        )
    Product.objects.bulk_create(products, batch_size=500)
    # auto_now_add stamps "now" on create: spread the dates over the past year afterwards so
    # "new arrivals" and the new-season collection mean something.
    for product, plan in zip(products, ctx.plans, strict=True):
        created = now - timedelta(days=plan.age_days)
        product.created_at = created
        product.updated_at = created + timedelta(hours=2)
        if plan.status == PublicationStatus.PUBLISHED:
            product.published_at = created + timedelta(hours=1)
        ctx.product_ids[plan.handle] = product.pk
    Product.objects.bulk_update(
        products, ["created_at", "updated_at", "published_at"], batch_size=500
    )

    translation_model = Product._parler_meta.root_model
    translation_model.objects.bulk_create(
        [
            translation_model(
                master_id=product.pk,
                language_code=lang,
                name=plan.texts[lang][0],
                description=plan.texts[lang][1],
                seo_title=plan.texts[lang][2],
                seo_description=plan.texts[lang][3],
            )
            for product, plan in zip(products, ctx.plans, strict=True)
            for lang in LANGS
        ],
        batch_size=500,
    )
    variants = [
        ProductVariant(
            product_id=product.pk,
            sku=v.sku,
            option1=v.option1,
            option2=v.option2,
            metal=ctx.metals[v.metal],
            purity=v.purity,
            ring_size=v.ring_size,
            price=v.price,
            compare_at_price=v.compare_at_price,
            stock_quantity=v.stock,
            weight_grams=v.weight,
            position=v.position,
        )
        for product, plan in zip(products, ctx.plans, strict=True)
        for v in plan.variants
    ]
    ProductVariant.objects.bulk_create(variants, batch_size=500)
    # Option names and values in every language, from the catalog's vocabulary (imported
    # here: option_labels reads this module's metal and gemstone tables).
    from .option_labels import option_labels_fill

    option_labels_fill(
        names=[p.option1_name for p in products] + [p.option2_name for p in products],
        values=[v.option1 for v in variants] + [v.option2 for v in variants],
        languages=LANGS,
    )
    stones = [
        ProductGemstone(
            product_id=product.pk,
            gemstone_type=ctx.gems[s.gem],
            count=s.count,
            carat=s.carat,
            colour=s.colour,
            clarity=s.clarity,
            cut=s.cut,
        )
        for product, plan in zip(products, ctx.plans, strict=True)
        for s in plan.stones
    ]
    ProductGemstone.objects.bulk_create(stones, batch_size=500)
    through = Product.materials.through
    links = []
    for product, plan in zip(products, ctx.plans, strict=True):
        slugs = dict.fromkeys(m for m, _p in plan.metals)
        if plan.gem == "pearl":
            slugs["pearl"] = None
        links += [through(product_id=product.pk, material_id=ctx.materials[s].pk) for s in slugs]
    through.objects.bulk_create(links, batch_size=500)
    published = sum(1 for p in ctx.plans if p.status == PublicationStatus.PUBLISHED)
    return {
        "products": len(products),
        "published": published,
        "drafts": len(products) - published,
        "variants": len(variants),
        "gemstone rows": len(stones),
    }


def step_images(ctx: DemoContext) -> dict[str, int]:
    jobs = [_image_job(plan) for plan in ctx.plans]
    rows = []
    for plan, rendered in zip(ctx.plans, _render_all(jobs, ctx.processes), strict=True):
        for position, (image, (original, thumbnail, width, height)) in enumerate(
            zip(plan.images, rendered, strict=True)
        ):
            stem = f"{plan.handle[:80]}-{position + 1}"
            image_name = default_storage.save(f"products/{stem}.jpg", ContentFile(original))
            ctx.written_files.append(image_name)
            thumb_name = default_storage.save(f"thumbnails/{stem}.webp", ContentFile(thumbnail))
            ctx.written_files.append(thumb_name)
            rows.append(
                ProductImage(
                    product_id=ctx.product_ids[plan.handle],
                    image=image_name,
                    thumbnail=thumb_name,
                    width=width,
                    height=height,
                    alt_text=image.alt_text[:255],
                    position=position,
                )
            )
    ProductImage.objects.bulk_create(rows, batch_size=500)
    return {"images": len(rows)}


def _collection_members(plans: list[ProductPlan]) -> dict[str, list[ProductPlan]]:
    live = [p for p in plans if p.status == PublicationStatus.PUBLISHED]
    bridal_leaves = ("engagement-rings", "wedding-bands")
    members = {
        "bridal": [
            p
            for p in live
            if p.design.leaf in bridal_leaves
            or (
                p.gem == "diamond"
                and p.design.leaf in ("studs", "drops", "pendants", "tennis-bracelets")
                and p.metal in ("white-gold", "platinum")
            )
        ],
        "everyday-gold": [
            p
            for p in live
            if p.metal in ("yellow-gold", "rose-gold")
            and p.price_min < 800
            and p.design.leaf in ("hoops", "chains", "studs", "bangles", "pendants", "anklets")
        ],
        "birthstones": [
            p
            for p in live
            if p.design.leaf not in bridal_leaves
            and (
                p.gem in BIRTHSTONES
                or (p.gem == "diamond" and p.design.leaf in ("pendants", "studs"))
            )
            and p.price_min < 1500
        ],
        "pearls-classics": [
            p
            for p in live
            if p.gem == "pearl"
            or p.design.leaf == "tennis-bracelets"
            or p.design.key == "classic-hoops"
            or (p.design.key == "solitaire-studs" and p.gem == "diamond")
        ],
        "gifts-under-200": [p for p in live if p.price_min < 200],
        "new-season": sorted(live, key=lambda p: p.age_days)[:24],
    }
    return members


def step_collections(ctx: DemoContext) -> dict[str, int]:
    members = _collection_members(ctx.plans)
    through = Collection.products.through
    links = []
    for position, (slug, names, descriptions) in enumerate(COLLECTIONS):
        collection = Collection.objects.filter(slug=slug).first() or Collection(slug=slug)
        collection.is_featured = True
        collection.position = position
        _translate(
            collection,
            {
                lang: {"name": names[i], "description": descriptions[i]}
                for i, lang in enumerate(LANGS)
            },
        )
        collection.products.clear()
        links += [
            through(collection_id=collection.pk, product_id=ctx.product_ids[p.handle])
            for p in members[slug]
        ]
    through.objects.bulk_create(links, batch_size=500)
    return {"collections": len(COLLECTIONS), "collection entries": len(links)}


def step_customers(ctx: DemoContext) -> dict[str, int]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    rng = ctx.rng("customers")
    existing = set(user_model.objects.values_list("email", flat=True))
    users = []
    for n, (first, last, local) in enumerate(CUSTOMERS):
        email = f"{local}@{EMAIL_DOMAINS[n % len(EMAIL_DOMAINS)]}"
        if email in existing:
            continue
        users.append(
            user_model(
                email=email,
                first_name=first,
                last_name=last,
                # Demo shoppers cannot sign in; the merchant can impersonate none of them.
                password=make_password(None),
                date_joined=ctx.now - timedelta(days=rng.uniform(1, 400)),
            )
        )
    user_model.objects.bulk_create(users)
    return {"customers": len(users)}


def step_merchant(ctx: DemoContext) -> dict[str, int]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=MERCHANT_EMAIL).exists():
        return {"merchant created": 0}
    ctx.merchant_password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(
        email=MERCHANT_EMAIL,
        password=ctx.merchant_password,
        first_name="Demo",
        last_name="Merchant",
    )
    return {"merchant created": 1}


def step_shopping_history(ctx: DemoContext) -> dict[str, int]:
    """Interaction events for the recommender (issue 5; see events/demo_history.py)."""
    from events.demo_history import seed_history

    return seed_history(seed=ctx.seed)


def step_reviews(ctx: DemoContext) -> dict[str, int]:
    """Rated reviews in several languages (issue 6; see catalog/demo_reviews.py)."""
    from catalog.demo_reviews import seed_reviews

    return seed_reviews(seed=ctx.seed, now=ctx.now)


def step_store_pages(ctx: DemoContext) -> dict[str, int]:
    """Store pages and FAQ in all seven languages (issue 14; see content/demo_content.toml)."""
    from content.services import read_content_file, store_content_load

    return store_content_load(data=read_content_file())


# The order matters: each step may use what the earlier ones put in the context.
STEPS: tuple[tuple[str, Callable[[DemoContext], dict[str, int]]], ...] = (
    ("categories", step_categories),
    ("materials and gemstones", step_materials),
    ("exchange rates", step_exchange_rates),
    ("products", step_products),
    ("images", step_images),
    ("collections", step_collections),
    ("customers", step_customers),
    ("merchant", step_merchant),
    ("shopping history", step_shopping_history),
    ("reviews", step_reviews),
    ("store pages", step_store_pages),
)


@dataclass
class DemoReport:
    counts: dict[str, int]
    timings: dict[str, float]
    elapsed: float
    login_line: str | None
    login_file: Path | None


def login_line(password: str) -> str:
    return (
        f"Demo merchant login: {settings.SITE_URL}/admin/  "
        f"e-mail: {MERCHANT_EMAIL}  password: {password}"
    )


def _write_login_file(password: str) -> tuple[str, Path]:
    line = login_line(password)
    path = Path(settings.VAR_DIR) / "demo-login.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created private from the start: the password is never readable by other users.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(line + "\n")
    path.chmod(0o600)
    return line, path


def seed_demo(
    *,
    products: int = DEFAULT_PRODUCTS,
    seed: int = DEFAULT_SEED,
    processes: int | None = None,
    log: Callable[[str], None] | None = None,
) -> DemoReport:
    """Fills an empty store with the demo catalog; raises CatalogNotEmpty otherwise."""
    started = time.monotonic()
    ctx = DemoContext(
        seed=seed,
        products=max(1, products),
        processes=processes or min(4, os.cpu_count() or 1),
        log=log or (lambda _message: None),
        now=timezone.now(),
    )
    counts: dict[str, int] = {}
    timings: dict[str, float] = {}
    try:
        with transaction.atomic():
            for name, step in STEPS:
                step_started = time.monotonic()
                counts.update(step(ctx))
                timings[name] = time.monotonic() - step_started
                ctx.log(f"  {name}: {timings[name]:.1f} s")
    except BaseException:
        # The rows were rolled back: do not leave their image files behind.
        for name in ctx.written_files:
            default_storage.delete(name)
        raise
    line = path = None
    if ctx.merchant_password:
        line, path = _write_login_file(ctx.merchant_password)
    return DemoReport(
        counts=counts,
        timings=timings,
        elapsed=time.monotonic() - started,
        login_line=line,
        login_file=path,
    )
