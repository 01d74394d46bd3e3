"""Query understanding: metals, purities, gemstones, categories, colours and prices, in the
store's seven languages, typo tolerant, against a small catalog's own names."""

from decimal import Decimal

import pytest

from ai.search import snapshot as search_snapshot
from ai.search.query import parse_query
from ai.search.text import damerau_levenshtein, normalise, stem, tokens
from catalog.models import Material, PublicationStatus
from catalog.services import product_set_translation
from tests.factories import (
    CategoryFactory,
    GemstoneTypeFactory,
    MaterialFactory,
    ProductFactory,
    ProductGemstoneFactory,
)

LANGS = ("en", "zh-hans", "fr", "de", "es", "ja", "ar")


def _translate(obj, names: tuple[str, ...]) -> None:
    """Names in LANGS order (the first, English, is already set by the factory)."""
    for language, name in zip(LANGS[1:], names[1:], strict=True):
        obj.set_current_language(language)
        obj.name = name
    obj.save()
    obj.set_current_language("en")


def search_catalog() -> dict:
    """Six products in three categories, metals and stones named in seven languages.

    The sapphire ring has English text only (cross-lingual retrieval); the draft diamond
    ring matches diamond queries best but must never be shown.
    """
    names = {
        "rings": ("Rings", "戒指", "Bagues", "Ringe", "Anillos", "リング", "خواتم"),
        "earrings": (
            "Earrings",
            "耳饰",
            "Boucles d'oreilles",
            "Ohrringe",
            "Pendientes",
            "ピアス",
            "أقراط",
        ),
        "necklaces": (
            "Necklaces",
            "项链",
            "Colliers",
            "Halsketten",
            "Collares",
            "ネックレス",
            "قلائد",
        ),
        "yellow-gold": (
            "Yellow gold",
            "K黄金",
            "Or jaune",
            "Gelbgold",
            "Oro amarillo",
            "イエローゴールド",
            "الذهب الأصفر",
        ),
        "white-gold": (
            "White gold",
            "K白金",
            "Or blanc",
            "Weißgold",
            "Oro blanco",
            "ホワイトゴールド",
            "الذهب الأبيض",
        ),
        "rose-gold": (
            "Rose gold",
            "玫瑰金",
            "Or rose",
            "Roségold",
            "Oro rosa",
            "ローズゴールド",
            "الذهب الوردي",
        ),
        "platinum": ("Platinum", "铂金", "Platine", "Platin", "Platino", "プラチナ", "البلاتين"),
        "sterling-silver": (
            "Sterling silver",
            "925银",
            "Argent sterling",
            "Sterlingsilber",
            "Plata de ley",
            "シルバー",
            "الفضة الإسترلينية",
        ),
        "diamond": ("Diamond", "钻石", "Diamant", "Diamant", "Diamante", "ダイヤモンド", "ألماس"),
        "sapphire": (
            "Sapphire",
            "蓝宝石",
            "Saphir",
            "Saphir",
            "Zafiro",
            "サファイア",
            "ياقوت أزرق",
        ),
        "pearl": ("Pearl", "珍珠", "Perle", "Perle", "Perla", "パール", "لؤلؤ"),
        "ruby": ("Ruby", "红宝石", "Rubis", "Rubin", "Rubí", "ルビー", "ياقوت أحمر"),
    }
    objects = {}
    for position, slug in enumerate(("rings", "earrings", "necklaces")):
        objects[slug] = CategoryFactory(slug=slug, name=names[slug][0], position=position)
        _translate(objects[slug], names[slug])
    for slug in ("yellow-gold", "white-gold", "rose-gold", "platinum", "sterling-silver"):
        objects[slug] = MaterialFactory(slug=slug, name=names[slug][0], kind=Material.Kind.METAL)
        _translate(objects[slug], names[slug])
    for slug in ("diamond", "sapphire", "pearl", "ruby"):
        objects[slug] = GemstoneTypeFactory(slug=slug, name=names[slug][0])
        _translate(objects[slug], names[slug])

    def product(handle, name, category, metal, purity, price, gem=None, **extra):
        item = ProductFactory(
            handle=handle,
            name=name,
            description=extra.pop("description", f"{name}, handmade."),
            category=objects[category],
            variants=[{"price": Decimal(price), "metal": objects[metal], "purity": purity}],
            **extra,
        )
        if gem:
            ProductGemstoneFactory(product=item, gemstone_type=objects[gem])
        objects[handle] = item
        return item

    product("sapphire-ring", "Sapphire halo ring", "rings", "white-gold", "18K", "900", "sapphire")
    diamond = product(
        "diamond-ring", "Diamond solitaire ring", "rings", "platinum", "950", "2500", "diamond"
    )
    product_set_translation(product=diamond, language="fr", name="Bague solitaire diamant")
    product_set_translation(product=diamond, language="ja", name="ダイヤモンド ソリテール リング")
    pearls = product(
        "pearl-earrings",
        "Pearl drop earrings",
        "earrings",
        "sterling-silver",
        "925",
        "120",
        "pearl",
    )
    product_set_translation(product=pearls, language="de", name="Perlenohrhänger")
    product(
        "ruby-necklace", "Ruby pendant necklace", "necklaces", "rose-gold", "14K", "450", "ruby"
    )
    product("gold-hoops", "Classic hoop earrings", "earrings", "yellow-gold", "14K", "300")
    product(
        "draft-ring",
        "Diamond ring, diamond pavé, diamond solitaire",
        "rings",
        "platinum",
        "950",
        "2000",
        "diamond",
        status=PublicationStatus.DRAFT,
    )
    return objects


@pytest.fixture
def search_shop(db):
    search_snapshot.clear_cache()
    yield search_catalog()
    search_snapshot.clear_cache()


def parsed(query: str, language: str):
    snap = search_snapshot.current(backend="use-multilingual")
    result = parse_query(query, language=language, snapshot=snap)
    keys = {item.key for item in result.recognised if item.kind != "price"}
    return result, keys


# --- text ----------------------------------------------------------------------------------------
def test_normalising_folds_case_accents_and_arabic_letter_forms_but_not_japanese_marks():
    assert normalise("Émeraude ÉCLAT") == "emeraude eclat"
    assert normalise("ダイヤモンド") == "ダイヤモンド"
    assert normalise("ألماس") == normalise("الماس")
    assert normalise("５００") == "500"
    assert normalise("٥٠٠") == "500"


def test_plural_and_singular_meet_in_every_latin_language():
    for singular, plural in [
        ("ring", "rings"),
        ("bague", "bagues"),
        ("anillo", "anillos"),
        ("collar", "collares"),
        ("kette", "ketten"),
        ("diamant", "diamanten"),
    ]:
        assert stem(singular) == stem(plural), (singular, plural)


def test_chinese_and_japanese_text_is_indexed_as_character_bigrams():
    assert tokens("蓝宝石戒指") == ["蓝宝", "宝石", "石戒", "戒指"]
    assert tokens("18K白金") == ["18k", "白金"]


def test_typo_distance_counts_a_swap_of_neighbours_once():
    assert damerau_levenshtein("diamnod", "diamond") == 1
    assert damerau_levenshtein("saphire", "sapphire") == 1
    assert damerau_levenshtein("ring", "necklace") > 2


# --- understanding, one sentence per language ----------------------------------------------------
@pytest.mark.parametrize(
    ("language", "query", "expected", "price_max", "currency"),
    [
        (
            "en",
            "18k rose gold ruby necklace under 500",
            {"metal:rose-gold", "purity:18K", "gemstone:ruby", "category:necklaces"},
            Decimal(500),
            None,
        ),
        (
            "fr",
            "bague saphir en or blanc moins de 1000 €",
            {"category:rings", "gemstone:sapphire", "metal:white-gold"},
            Decimal(1000),
            "EUR",
        ),
        (
            "de",
            "Ohrringe aus Silber unter 200",
            {"category:earrings", "metal:silver"},
            Decimal(200),
            None,
        ),
        (
            "es",
            "collar de rubí menos de 500",
            {"category:necklaces", "gemstone:ruby"},
            Decimal(500),
            None,
        ),
        (
            "ja",
            "ダイヤモンドの指輪 5万円以下",
            {"gemstone:diamond", "category:rings"},
            Decimal(50000),
            "JPY",
        ),
        (
            "zh-hans",
            "铂金钻石戒指 3000元以下",
            {"metal:platinum", "gemstone:diamond", "category:rings"},
            Decimal(3000),
            "CNY",
        ),
        (
            "ar",
            "خاتم ألماس أقل من 500",
            {"category:rings", "gemstone:diamond"},
            Decimal(500),
            None,
        ),
    ],
)
def test_metal_stone_category_and_price_are_understood_in_every_language(
    search_shop, language, query, expected, price_max, currency
):
    result, keys = parsed(query, language)

    assert expected <= keys
    assert result.price_max == price_max
    assert result.price_currency == currency


@pytest.mark.parametrize(
    ("query", "language", "low", "high"),
    [
        ("rings between 200 and 500", "en", 200, 500),
        ("anillos entre 200 y 500", "es", 200, 500),
        ("Ringe 200-500", "de", 200, 500),
        ("bagues à partir de 300", "fr", 300, None),
        ("リング 1,000円以上", "ja", 1000, None),
        ("戒指 低于500", "zh-hans", None, 500),
    ],
)
def test_price_ranges_and_minimums_are_understood(search_shop, query, language, low, high):
    result, keys = parsed(query, language)

    assert "category:rings" in keys
    assert result.price_min == (None if low is None else Decimal(low))
    assert result.price_max == (None if high is None else Decimal(high))


def test_the_words_of_a_price_are_not_searched_as_text(search_shop):
    result, _keys = parsed("pearl earrings under 500 dollars", "en")

    assert result.text == "pearl earrings"
    assert result.price_currency == "USD"


def test_a_specific_gold_beats_gold_in_general(search_shop):
    _result, keys = parsed("18K白金钻石戒指", "zh-hans")

    assert {"metal:white-gold", "purity:18K", "gemstone:diamond", "category:rings"} <= keys
    assert not any(key.startswith("metal:") and key != "metal:white-gold" for key in keys)


def test_gold_alone_means_every_gold(search_shop):
    result, keys = parsed("gold earrings", "en")

    (gold,) = [item for item in result.recognised if item.kind == "metal"]
    assert gold.ids == {search_shop[slug].pk for slug in ("yellow-gold", "white-gold", "rose-gold")}


def test_misspelt_names_are_still_understood_and_corrected(search_shop):
    result, keys = parsed("saphire neckalce", "en")

    assert {"gemstone:sapphire", "category:necklaces"} <= keys
    assert result.corrected_words == {"saphire": "Sapphire", "neckalce": "Necklaces"}


def test_german_compounds_are_split_into_known_words(search_shop):
    _result, keys = parsed("Saphirring", "de")

    assert {"gemstone:sapphire", "category:rings"} <= keys


def test_colours_are_recognised_as_boosts(search_shop):
    result, keys = parsed("blue stone ring", "en")

    assert "colour:blue" in keys
    assert not any(item.ids for item in result.recognised if item.kind == "colour")


def test_a_word_means_what_it_means_in_the_shoppers_language(search_shop):
    # 白金 is white gold in the catalog's Chinese and platinum in Japanese.
    _zh, zh_keys = parsed("白金", "zh-hans")
    _ja, ja_keys = parsed("白金", "ja")

    assert "metal:white-gold" in zh_keys
    assert "metal:platinum" in ja_keys


def test_a_query_of_nothing_known_recognises_nothing(search_shop):
    result, keys = parsed("unicorn tiara", "en")

    assert keys == set()
    assert result.price_min is None and result.price_max is None
