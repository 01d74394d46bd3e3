"""The jewelry vocabulary: one set of words for the catalog and the apps above it.

- Metals, other materials, gemstones and cuts named in the store's seven languages (`LANGS`
  order), with the grammar a product name needs (genders, plurals, karat wording): the demo
  store composes its product names with them (demo/plan.py) and the option labels translate
  metal and gem options with them (catalog/option_labels.py).
- The English keywords the Shopify import recognises in product types, tags and option values
  (`CATEGORY_BY_TYPE`, `METAL_KEYWORDS`, `OTHER_MATERIAL_KEYWORDS`, `GEM_KEYWORDS`), which the
  option labels also read.
- The words shoppers type in a search, per language (`SHOPPER_METALS`, `SHOPPER_GEMSTONES`,
  `SHOPPER_CATEGORIES`, `SHOPPER_COLOURS`, `COLOUR_MEANING`, `METAL_GROUPS`, `PURITY_WORDS`),
  read from catalog/data/shopper_words.json: the search's query understanding reads them
  (ai/search/lexicon.py names them), so the store has one jewelry vocabulary, not three.

It imports only catalog's models (for the material kinds).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .models import Material

LANGS = ("en", "zh-hans", "fr", "de", "es", "ja", "ar")

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


# =============================================================================================
# Keywords the Shopify import recognises in product types, tags and option values (English)
# =============================================================================================


@dataclass(frozen=True)
class Term:
    """A category, material or gemstone type the import may create (English name)."""

    slug: str
    name: str
    colour_hex: str = ""
    kind: str = ""


def _with_plurals(table: dict[str, Term], irregular: dict[str, str] | None = None):
    out = dict(table)
    for keyword, term in table.items():
        out.setdefault(keyword + "s", term)
    for plural, singular in (irregular or {}).items():
        out[plural] = table[singular]
    return out


_RINGS = Term("rings", "Rings")
_ENGAGEMENT = Term("engagement-rings", "Engagement rings")
_WEDDING = Term("wedding-bands", "Wedding bands")
_NECKLACES = Term("necklaces", "Necklaces")
_PENDANTS = Term("pendants", "Pendants")
_EARRINGS = Term("earrings", "Earrings")
_BRACELETS = Term("bracelets", "Bracelets")
_BROOCHES = Term("brooches", "Brooches")
_ANKLETS = Term("anklets", "Anklets")
_WATCHES = Term("watches", "Watches")
_CUFFLINKS = Term("cufflinks", "Cufflinks")
_CHARMS = Term("charms", "Charms")

CATEGORY_BY_TYPE: dict[str, Term] = _with_plurals(
    {
        "ring": _RINGS,
        "engagement ring": _ENGAGEMENT,
        "wedding band": _WEDDING,
        "wedding ring": _WEDDING,
        "necklace": _NECKLACES,
        "chain": _NECKLACES,
        "choker": _NECKLACES,
        "pendant": _PENDANTS,
        "earring": _EARRINGS,
        "bracelet": _BRACELETS,
        "bangle": _BRACELETS,
        "cuff": _BRACELETS,
        "brooch": _BROOCHES,
        "anklet": _ANKLETS,
        "watch": _WATCHES,
        "cufflink": _CUFFLINKS,
        "charm": _CHARMS,
    },
    irregular={"brooches": "brooch", "watches": "watch"},
)
# Sub-categories created under a parent when the import has to create them.
CATEGORY_PARENTS = {_ENGAGEMENT.slug: _RINGS, _WEDDING.slug: _RINGS}
RING_CATEGORY_SLUGS = {_RINGS.slug, _ENGAGEMENT.slug, _WEDDING.slug}

METAL, OTHER = Material.Kind.METAL.value, Material.Kind.OTHER.value
_YELLOW_GOLD = Term("yellow-gold", "Yellow gold", "#d4af37", METAL)
_WHITE_GOLD = Term("white-gold", "White gold", "#e6e2d6", METAL)
_ROSE_GOLD = Term("rose-gold", "Rose gold", "#b76e79", METAL)
_STERLING = Term("sterling-silver", "Sterling silver", "#c4c7cc", METAL)
_STEEL = Term("stainless-steel", "Stainless steel", "#a8a9ad", METAL)
METAL_KEYWORDS: dict[str, Term] = {
    "yellow gold": _YELLOW_GOLD,
    "gold": _YELLOW_GOLD,
    "white gold": _WHITE_GOLD,
    "rose gold": _ROSE_GOLD,
    "pink gold": _ROSE_GOLD,
    "platinum": Term("platinum", "Platinum", "#e5e4e2", METAL),
    "sterling silver": _STERLING,
    "sterling": _STERLING,
    "silver": Term("silver", "Silver", "#c0c0c0", METAL),
    "palladium": Term("palladium", "Palladium", "#cfd0d2", METAL),
    "titanium": Term("titanium", "Titanium", "#878681", METAL),
    "stainless steel": _STEEL,
    "steel": _STEEL,
    "brass": Term("brass", "Brass", "#b5a642", METAL),
    "copper": Term("copper", "Copper", "#b87333", METAL),
}
OTHER_MATERIAL_KEYWORDS: dict[str, Term] = _with_plurals(
    {
        "leather": Term("leather", "Leather", "#5b3a29", OTHER),
        "pearl": Term("pearl", "Pearl", "#f0ead6", OTHER),
        "wood": Term("wood", "Wood", "#8b5a2b", OTHER),
        "enamel": Term("enamel", "Enamel", "#2f6f8f", OTHER),
        "ceramic": Term("ceramic", "Ceramic", "#f2f0eb", OTHER),
        "resin": Term("resin", "Resin", "#d9b26f", OTHER),
        "silk": Term("silk", "Silk", "#efe6d8", OTHER),
        "glass": Term("glass", "Glass", "#cfe8ef", OTHER),
        "shell": Term("shell", "Shell", "#f4e9e1", OTHER),
    }
)
_CZ = Term("cubic-zirconia", "Cubic zirconia", "#f5f5ff")
_LAPIS = Term("lapis-lazuli", "Lapis lazuli", "#26619c")
GEM_KEYWORDS: dict[str, Term] = _with_plurals(
    {
        "diamond": Term("diamond", "Diamond", "#e8f4ff"),
        "sapphire": Term("sapphire", "Sapphire", "#0f52ba"),
        "ruby": Term("ruby", "Ruby", "#9b111e"),
        "emerald": Term("emerald", "Emerald", "#50c878"),
        "turquoise": Term("turquoise", "Turquoise", "#40e0d0"),
        "pearl": Term("pearl", "Pearl", "#f0ead6"),
        "amethyst": Term("amethyst", "Amethyst", "#9966cc"),
        "opal": Term("opal", "Opal", "#a8c3bc"),
        "topaz": Term("topaz", "Topaz", "#ffc87c"),
        "garnet": Term("garnet", "Garnet", "#733635"),
        "aquamarine": Term("aquamarine", "Aquamarine", "#7fffd4"),
        "peridot": Term("peridot", "Peridot", "#b4c424"),
        "citrine": Term("citrine", "Citrine", "#e4d00a"),
        "tanzanite": Term("tanzanite", "Tanzanite", "#4d5ba8"),
        "tourmaline": Term("tourmaline", "Tourmaline", "#86a17d"),
        "morganite": Term("morganite", "Morganite", "#f4c2c2"),
        "onyx": Term("onyx", "Onyx", "#353839"),
        "jade": Term("jade", "Jade", "#00a86b"),
        "moonstone": Term("moonstone", "Moonstone", "#e6e8fa"),
        "spinel": Term("spinel", "Spinel", "#d4145a"),
        "lapis lazuli": _LAPIS,
        "lapis": _LAPIS,
        "cubic zirconia": _CZ,
        "zirconia": _CZ,
    },
    irregular={"rubies": "ruby"},
)


# =============================================================================================
# Words shoppers type in a search, per language (catalog/data/shopper_words.json)
# =============================================================================================
# What a catalog's own Material, GemstoneType and Category names rarely say: "gold" for any
# gold, "silver" for sterling silver, singulars, colloquial names ("ダイヤ", "钻"), colours and
# the category nouns in each language. Each table maps language -> {phrase: key}; "*" applies to
# every language. Keys are canonical: metals "yellow-gold", "white-gold", "rose-gold", "gold"
# (any gold, see METAL_GROUPS), "platinum", "silver"; gemstones and categories by the slug a
# catalog usually gives them (the demo catalog and the Shopify import use these). Phrases are
# written folded (lower case, no accents), as the search folds a query. The file keeps the
# tables' order, which the search's matching follows.

_SHOPPER_WORDS = json.loads(
    (Path(__file__).resolve().parent / "data" / "shopper_words.json").read_text(encoding="utf-8")
)
SHOPPER_METALS: dict[str, dict[str, str]] = _SHOPPER_WORDS["metals"]
SHOPPER_GEMSTONES: dict[str, dict[str, str]] = _SHOPPER_WORDS["gemstones"]
SHOPPER_CATEGORIES: dict[str, dict[str, str]] = _SHOPPER_WORDS["categories"]
# Colours are boosts: they favour stones (and metals) of that colour without filtering.
SHOPPER_COLOURS: dict[str, dict[str, str]] = _SHOPPER_WORDS["colours"]
# What a colour means in a jewelry catalog: (gemstone keys, metal keys).
COLOUR_MEANING: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    colour: (tuple(meaning["gemstones"]), tuple(meaning["metals"]))
    for colour, meaning in _SHOPPER_WORDS["colour_meaning"].items()
}
# Metal keys that stand for several catalog metals.
METAL_GROUPS: dict[str, tuple[str, ...]] = {
    key: tuple(members) for key, members in _SHOPPER_WORDS["metal_groups"].items()
}
# Purity marks typed by shoppers -> catalog Purity values.
PURITY_WORDS: dict[str, str] = _SHOPPER_WORDS["purity_words"]
