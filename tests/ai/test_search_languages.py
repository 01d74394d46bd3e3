"""Shoppers' words in six languages against a catalog written in English only.

Titles like a real gift retailer's ("Black Glass Bracelet", "Butterfly Hair Clip"), no
translation, no description: a word the built-in tables do not know is looked up among the
catalog's English words through the encoder (Chinese and Japanese cut into words first), a
recognised colour is also searched in the titles, a metal a title names counts like the
attribute, and a word the tables know only in another form is found by its Snowball stem.
"""

import gzip
import sqlite3
from decimal import Decimal

import pytest

from ai import services
from ai.embeddings import get_embedder
from ai.index.indexer import reindex_products
from ai.search import crosslingual, dictionaries
from ai.search import snapshot as search_snapshot
from ai.search.crosslingual import segment
from catalog.models import Category, Material
from tests.factories import CategoryFactory, MaterialFactory, ProductFactory


@pytest.fixture
def retail_shop(db, use_embedder):
    search_snapshot.clear_cache()
    bracelet = CategoryFactory(slug="bracelets", name="Bracelet")
    necklace = CategoryFactory(slug="necklaces", name="Necklace")
    earrings = CategoryFactory(slug="earrings", name="Earrings")
    hair = CategoryFactory(slug="hair-accessory", name="Hair accessory")
    glass = MaterialFactory(slug="glass", name="Glass", kind=Material.Kind.OTHER)
    silver = MaterialFactory(slug="silver", name="Silver", kind=Material.Kind.METAL)
    rows = [
        ("black-glass-bracelet", "Black Glass Bracelet", bracelet, glass),
        ("pink-bead-bracelet", "Pink Bead Bracelet", bracelet, glass),
        ("gold-heart-bracelet", "Gold Heart Bracelet", bracelet, glass),
        ("blue-crystal-necklace", "Blue Crystal Necklace", necklace, glass),
        ("amber-tassel-necklace", "Amber Tassel Necklace", necklace, glass),
        ("silver-drop-earrings", "Silver Drop Earrings", earrings, glass),
        ("ball-stud-earrings", "Ball Stud Earrings", earrings, silver),
        ("green-flower-earrings", "Green Flower Earrings", earrings, glass),
        ("butterfly-hair-clip", "Butterfly Hair Clip", hair, glass),
        ("ivory-hair-comb", "Ivory Enamel Hair Comb", hair, glass),
    ]
    items = {}
    for handle, name, category, material in rows:
        items[handle] = ProductFactory(
            handle=handle,
            name=name,
            description="",
            category=category,
            variants=[{"price": Decimal("8.50"), "metal": material}],
        )
    reindex_products(embedder=use_embedder)
    yield {item.pk: handle for handle, item in items.items()}
    search_snapshot.clear_cache()


def found(result, shop) -> list[str]:
    return [shop[pk] for pk in result.product_ids]


@pytest.mark.parametrize(
    ("query", "language"), [("蝴蝶发夹", "zh-hans"), ("蝶のヘアクリップ", "ja")]
)
def test_chinese_and_japanese_words_are_cut_and_found_in_english_titles(
    retail_shop, query, language
):
    result = services.search_products(query, language=language)

    # The butterfly clip first, matched by the English word of the title, not only by the encoder
    assert found(result, retail_shop)[0] == "butterfly-hair-clip"
    assert "butterfly" in result.matched_terms


def test_segmenters_drop_particles():
    assert segment("蝶のヘアクリップ", language="ja") == ["蝶", "ヘア", "クリップ"]
    assert segment("蝴蝶发夹", language="zh-hans") == ["蝴蝶", "发夹"]


@pytest.mark.parametrize(
    ("query", "language", "expected", "word"),
    [
        ("Glasarmband", "de", "black-glass-bracelet", "glass"),  # compound: Glas + Armband
        ("bracelet noir", "fr", "black-glass-bracelet", "black"),
        ("pulsera rosa", "es", "pink-bead-bracelet", "pink"),  # a colour, searched in titles
        ("قلادة زرقاء", "ar", "blue-crystal-necklace", "blue"),
    ],
)
def test_a_word_of_the_shoppers_language_matches_the_english_title(
    retail_shop, query, language, expected, word
):
    result = services.search_products(query, language=language)

    assert found(result, retail_shop)[0] == expected
    assert word in result.matched_terms


def test_a_metal_named_in_the_title_counts_like_the_attribute(retail_shop):
    # One pair of earrings has silver as its metal, the other only says so in its title
    result = services.search_products("silver earrings", language="en")

    assert set(found(result, retail_shop)) == {"ball-stud-earrings", "silver-drop-earrings"}


def test_an_arabic_adjective_is_found_by_its_snowball_stem(retail_shop):
    # "فضية" (silver, feminine) is not in the tables; "فضي" is, and both stem to "فض"
    result = services.search_products("أقراط فضية", language="ar")

    assert "metal:silver" in [item.key for item in result.recognised]
    assert set(found(result, retail_shop)) == {"ball-stud-earrings", "silver-drop-earrings"}


@pytest.mark.parametrize(("query", "language"), [("qwertz uiop", "de"), ("zzzzqqq", "fr")])
def test_unknown_gibberish_finds_no_catalog_word(retail_shop, query, language):
    result = services.search_products(query, language=language)

    assert result.product_ids == []


# --- bilingual dictionaries (ai.search.dictionaries), on small files of the packages' formats ---
CEDICT_LINES = """# CC-CEDICT
#! license=https://creativecommons.org/licenses/by-sa/4.0/
流蘇 流苏 [liu2 su1] /tassels/
革 革 [ge2] /animal hide/leather/to reform/
革 革 [ji2] /(literary) critically ill/
墜 坠 [zhui4] /to drop/CL:個|个[ge4]/variant of 墮|堕/
貝殼 贝壳 [bei4 ke2] /shell/mother of pearl/
"""


@pytest.fixture
def cedict(tmp_path, monkeypatch):
    path = tmp_path / "cedict.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(CEDICT_LINES)
    monkeypatch.setattr(dictionaries, "_cedict_path", lambda: path)
    monkeypatch.setattr(dictionaries, "_cedict", None)
    yield path
    dictionaries._cedict = None


@pytest.fixture
def jmdict(tmp_path, monkeypatch):
    path = tmp_path / "jamdict.db"
    connection = sqlite3.connect(path)
    connection.executescript(
        """
        CREATE TABLE Kanji (ID INTEGER PRIMARY KEY, idseq INTEGER, text TEXT);
        CREATE TABLE Kana (ID INTEGER PRIMARY KEY, idseq INTEGER, text TEXT, nokanji BOOLEAN);
        CREATE TABLE Sense (ID INTEGER PRIMARY KEY, idseq INTEGER);
        CREATE TABLE SenseGloss (sid INTEGER, lang TEXT, gend TEXT, text TEXT);
        INSERT INTO Kana VALUES (1, 100, 'タッセル', 1);
        INSERT INTO Sense VALUES (10, 100);
        INSERT INTO SenseGloss VALUES (10, 'eng', '', 'tassel');
        INSERT INTO Kanji VALUES (2, 200, '革');
        INSERT INTO Sense VALUES (20, 200);
        INSERT INTO SenseGloss VALUES (20, 'eng', '', 'leather');
        INSERT INTO SenseGloss VALUES (20, 'eng', '', 'tanned animal hide');
        """
    )
    connection.commit()
    connection.close()
    monkeypatch.setattr(dictionaries, "_jmdict_path", lambda: path)
    dictionaries._jmdict.cache_clear()
    yield path
    dictionaries._jmdict.cache_clear()


def test_cedict_glosses_keep_homographs_and_drop_what_is_no_translation(cedict):
    assert dictionaries.glosses("流苏", "zh-hans") == ("tassels",)
    assert dictionaries.glosses("流蘇", "zh-hans") == ("tassels",)  # traditional form too
    # Both readings of 革, "(literary)" dropped, "to reform" read as its verb
    assert dictionaries.glosses("革", "zh-hans") == (
        "animal hide",
        "leather",
        "reform",
        "critically ill",
    )
    assert dictionaries.glosses("坠", "zh-hans") == ("drop",)  # no measure word, no variant
    assert dictionaries.glosses("流苏", "fr") == ()  # no dictionary for that language


def test_jmdict_glosses_by_kana_or_kanji(jmdict):
    assert dictionaries.glosses("タッセル", "ja") == ("tassel",)
    assert dictionaries.glosses("革", "ja") == ("leather", "tanned animal hide")
    assert dictionaries.glosses("指輪", "ja") == ()


def test_no_dictionary_installed_means_no_glosses(monkeypatch):
    monkeypatch.setattr(dictionaries, "_cedict_path", lambda: None)
    monkeypatch.setattr(dictionaries, "_jmdict_path", lambda: None)
    monkeypatch.setattr(dictionaries, "_cedict", None)
    dictionaries._jmdict.cache_clear()

    assert not dictionaries.available("zh-hans") and not dictionaries.available("ja")
    assert dictionaries.glosses("流苏", "zh-hans") == ()
    dictionaries._cedict = None


@pytest.mark.parametrize(
    ("query", "language"), [("流苏项链", "zh-hans"), ("タッセルネックレス", "ja")]
)
def test_a_dictionary_word_finds_the_english_title(retail_shop, cedict, jmdict, query, language):
    result = services.search_products(query, language=language)

    assert found(result, retail_shop)[0] == "amber-tassel-necklace"
    assert "tassel" in result.matched_terms


def test_only_glosses_whose_words_the_catalog_holds_count(retail_shop, cedict):
    snapshot, _fresh = search_snapshot.current_or_stale(backend=get_embedder().name)

    # "shell" and "mother of pearl" are no word of this catalog; "drop" is ("Silver Drop
    # Earrings"); "animal hide" half is not, so only "leather" could count, and it is absent
    assert crosslingual.dictionary_terms("贝壳", language="zh-hans", snapshot=snapshot) == ()
    assert crosslingual.dictionary_terms("坠", language="zh-hans", snapshot=snapshot) == ("drop",)
    assert crosslingual.dictionary_terms("革", language="zh-hans", snapshot=snapshot) == ()


def test_a_word_only_a_description_holds_is_found_through_the_encoder(retail_shop, use_embedder):
    anchor = ProductFactory(
        handle="anchor-bracelet",
        name="Anchor Bracelet",
        description="<p>A braided leather cord with a small anchor.</p>",
        category=Category.objects.get(slug="bracelets"),
        variants=[{"price": Decimal("12.00")}],
    )
    reindex_products(embedder=use_embedder)
    search_snapshot.clear_cache()
    snapshot, _fresh = search_snapshot.current_or_stale(backend=get_embedder().name)
    vocabulary = crosslingual._catalog_words(snapshot)

    # The names' words first, then the description's ("leather" is in no name)
    assert vocabulary.index("bracelet") < vocabulary.index("leather")
    # German "Leder", typed capitalised as German nouns are (the query arrives lower-cased)
    result = services.search_products("Leder", language="de")
    assert result.product_ids[0] == anchor.pk
    assert "leather" in result.matched_terms
