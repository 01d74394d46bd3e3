"""The shop assistant's entities: order numbers, e-mails, metals and stones, sizes, prices and
currencies, countries and products, in the store's seven languages."""

from decimal import Decimal

import pytest

from ai.assistant import entities as entities_module
from ai.search import snapshot as search_snapshot
from ai.services import Entities, assistant_extract_entities
from catalog.models import PublicationStatus
from catalog.services import product_set_translation
from tests.ai.test_search_query import search_catalog
from tests.factories import ExchangeRateFactory


@pytest.fixture
def shop(db):
    search_snapshot.clear_cache()
    entities_module.clear_cache()
    yield search_catalog()
    search_snapshot.clear_cache()
    entities_module.clear_cache()


def extract(text: str, language: str, **kwargs) -> Entities:
    return assistant_extract_entities(text, language=language, **kwargs)


# --- order numbers and e-mails -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Where is my order 261207-ABCD2345?", "en"),
        ("où en est ma commande n° 261207-abcd2345 svp", "fr"),
        ("Bestellung 261207 ABCD2345 ist noch nicht da", "de"),
        ("mi pedido #261207abcd2345 no ha llegado", "es"),
        ("注文番号２６１２０７－ＡＢＣＤ２３４５の状況は？", "ja"),
        ("订单261207-ABCD 2345到哪了", "zh-hans"),
        ("أين طلبي 261207-ABCD2345؟", "ar"),
    ],
)
def test_order_numbers_in_any_case_and_spacing_come_back_in_the_store_format(shop, text, language):
    assert extract(text, language).order_numbers == ("261207-ABCD2345",)


def test_what_only_looks_like_an_order_number_is_not_one(shop):
    # A month 13, letters the checkout never uses (I, L, O, 0, 1), too short.
    for text in ("261307-ABCD2345", "261207-ABCDIL0O", "261207-ABC2345", "call 0612345678"):
        assert extract(text, "en").order_numbers == (), text


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "ja", "zh-hans", "ar"])
def test_email_addresses_are_found_and_lowercased_in_every_language(shop, language):
    text = {
        "en": "my email is Ana.Lopez+shop@Example.COM.",
        "fr": "mon adresse : ana.lopez+shop@example.com",
        "de": "Meine E-Mail: ana.lopez+shop@example.com, danke",
        "es": "mi correo es ana.lopez+shop@example.com",
        "ja": "メールはana.lopez+shop@example.comです",
        "zh-hans": "我的邮箱是ana.lopez+shop@example.com",
        "ar": "بريدي ana.lopez+shop@example.com شكرا",
    }[language]
    found = extract(text, language)
    assert found.emails == ("ana.lopez+shop@example.com",)
    assert "example" not in found.product_query


# --- product words (the search's understanding) --------------------------------------------------
@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("do you have a sapphire ring in white gold?", "en"),
        ("vous avez une bague saphir en or blanc ?", "fr"),
        ("habt ihr einen Saphirring aus Weißgold?", "de"),
        ("¿tienen anillos de zafiro en oro blanco?", "es"),
        ("ホワイトゴールドのサファイアリングはありますか", "ja"),
        ("有白金蓝宝石戒指吗", "zh-hans"),
        ("هل لديكم خواتم ياقوت أزرق من الذهب الأبيض؟", "ar"),
    ],
)
def test_metals_stones_and_categories_in_every_language(shop, text, language):
    found = extract(text, language)
    assert found.metals == ("white-gold",)
    assert found.gemstones == ("sapphire",)
    assert found.categories == ("rings",)


@pytest.mark.parametrize(
    ("text", "language", "currency", "price_min", "price_max"),
    [
        ("rings under $500", "en", "USD", None, "500"),
        ("une bague à moins de 500 €", "fr", "EUR", None, "500"),
        ("Ringe zwischen 200 und 400 Euro", "de", "EUR", "200", "400"),
        ("anillos de más de 300 dólares", "es", "USD", "300", None),
        ("5万円以下の指輪", "ja", "JPY", None, "50000"),
        ("500元以下的戒指", "zh-hans", "CNY", None, "500"),
        ("خواتم أقل من 500 دولار", "ar", "USD", None, "500"),
    ],
)
def test_price_limits_and_their_currency_in_every_language(
    shop, text, language, currency, price_min, price_max
):
    rates = {"EUR": "0.50", "JPY": "100", "CNY": "5"}
    for code, rate in rates.items():
        ExchangeRateFactory(currency=code, rate=Decimal(rate))
    found = extract(text, language)
    assert found.currency == currency
    rate = Decimal(rates.get(currency, "1"))
    if price_min is None:
        assert found.price_min is None
    else:
        assert found.price_min == pytest.approx(Decimal(price_min) / rate, abs=Decimal("0.01"))
    if price_max is None:
        assert found.price_max is None
    else:
        assert found.price_max == pytest.approx(Decimal(price_max) / rate, abs=Decimal("0.01"))


def test_a_price_without_currency_is_in_the_shoppers_currency(shop):
    ExchangeRateFactory(currency="EUR", rate=Decimal("0.50"))
    found = extract("rings under 100", "en", currency="EUR")
    assert found.price_max == pytest.approx(Decimal("200"), abs=Decimal("0.01"))
    assert found.currency is None  # the shopper did not name one
    assert extract("rings under 100", "en").price_max == Decimal("100")


def test_a_currency_named_without_an_amount_and_a_duration_that_is_not_a_price(shop):
    assert extract("can I pay in euros?", "en").currency == "EUR"
    assert extract("円で支払えますか", "ja").currency == "JPY"
    late = extract("delivery takes 3 to 5 days?", "en")
    assert (late.price_min, late.price_max) == (None, None)
    # "livré" (delivered) is no pound sterling.
    assert extract("mon colis est livré ?", "fr").currency is None


# --- sizes ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "language", "sizes"),
    [
        ("do you have it in size 7.5?", "en", ("7.5",)),
        ("ring size 7 1/2 please", "en", ("7.5",)),
        ("je fais du taille 52", "fr", ("52",)),
        ("Ringgröße 54 bitte", "de", ("54",)),
        ("Größe 54, Kette 45 cm", "de", ("45cm", "54")),
        ("talla 14 por favor", "es", ("14",)),
        ("12号はありますか", "ja", ("12",)),
        ("サイズ 9 のリング", "ja", ("9",)),
        ("有12号的戒指吗，项链要45厘米", "zh-hans", ("45cm", "12")),
        ("مقاس ٧ من فضلك", "ar", ("7",)),
        ("a chain of 18 inches", "en", ("18in",)),
    ],
)
def test_ring_sizes_and_chain_lengths_in_every_language(shop, text, language, sizes):
    found = extract(text, language)
    assert found.sizes == sizes
    assert found.price_min is None and found.price_max is None


# --- countries -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "language", "countries"),
    [
        ("How long does shipping to Germany take?", "en", ("DE",)),
        ("Vous livrez en Allemagne et au Royaume-Uni ?", "fr", ("DE", "GB")),
        ("Liefert ihr nach Frankreich?", "de", ("FR",)),
        ("¿Envían a los Estados Unidos?", "es", ("US",)),
        ("ドイツへの送料は？", "ja", ("DE",)),
        ("寄到日本要多久", "zh-hans", ("JP",)),
        ("هل تشحنون إلى فرنسا؟", "ar", ("FR",)),
        ("هل تشحنون لفرنسا؟", "ar", ("FR",)),
        ("shipping to the UAE and the USA", "en", ("AE", "US")),
        ("ship to FR or DE?", "en", ("FR", "DE")),
        ("I live in Jordan, can you deliver to Turkey?", "en", ("JO", "TR")),
    ],
)
def test_countries_by_name_in_every_language_and_by_code_in_capitals(
    shop, text, language, countries
):
    assert extract(text, language).countries == countries


def test_capitals_that_are_words_or_shouting_are_no_country_codes(shop):
    assert extract("IT is late, IN my bag, OK?", "en").countries == ()
    assert extract("WHERE IS MY ORDER TO CANADA", "en").countries == ("CA",)
    assert extract("where is my order", "en").countries == ()


# --- products ------------------------------------------------------------------------------------
def test_products_named_in_the_text_by_name_in_any_language_or_handle(shop):
    assert extract("is the Sapphire Halo Ring in stock?", "en").product_handles == (
        "sapphire-ring",
    )
    assert extract("la bague solitaire diamant existe en 52 ?", "fr").product_handles == (
        "diamond-ring",
    )
    assert extract("ダイヤモンド ソリテール リングの在庫は？", "ja").product_handles == (
        "diamond-ring",
    )
    assert extract("about pearl-earrings: are they silver?", "en").product_handles == (
        "pearl-earrings",
    )
    # A draft product is never named; a generic word names no product.
    assert extract("a diamond ring, diamond pavé, diamond solitaire", "en").product_handles == ()
    assert extract("any rings?", "en").product_handles == ()


def test_the_product_table_follows_the_catalog(shop):
    assert extract("Perlenohrhänger bitte", "de").product_handles == ("pearl-earrings",)
    product_set_translation(product=shop["gold-hoops"], language="de", name="Klassische Creolen")
    assert extract("Klassische Creolen?", "de").product_handles == ("gold-hoops",)
    shop["gold-hoops"].status = PublicationStatus.DRAFT
    shop["gold-hoops"].save()
    assert extract("Klassische Creolen?", "de").product_handles == ()


# --- the product query ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "language", "query"),
    [
        ("Hi! Could you show me rose gold rings please?", "en", "rose gold rings"),
        ("Bonjour, je cherche une bague en or rose, merci", "fr", "une bague en or rose"),
        ("Hallo, ich suche Ohrringe mit Perlen, danke!", "de", "ohrringe mit perlen"),
        ("Hola, busco un collar de oro por favor", "es", "un collar de oro"),
        ("こんにちは、パールのピアスを探しています", "ja", "パールのピアスを"),
        ("你好，我想找珍珠耳饰，谢谢", "zh-hans", "珍珠耳饰"),
        ("مرحبا، أبحث عن قلادة ذهب من فضلك", "ar", "قلاده ذهب"),
    ],
)
def test_the_product_query_keeps_the_product_words(shop, text, language, query):
    assert extract(text, language).product_query == query


def test_order_numbers_emails_and_sizes_stay_out_of_the_product_query(shop):
    found = extract("order 261207-ABCD2345, ana@example.com: gold ring size 7", "en")
    assert found.product_query == "order gold ring"
    assert found.sizes == ("7",)


def test_an_unknown_language_reads_as_the_store_language(shop):
    found = extract("gold ring size 7 to Germany", "pt-br")
    assert (found.metals, found.sizes, found.countries) == (("gold",), ("7",), ("DE",))


@pytest.mark.parametrize("text", ["", "   ", "💍💍💍", "\x00\ufffd", "a@b" * 2000, "9" * 5000])
def test_odd_text_gives_empty_or_partial_entities_never_an_error(shop, text):
    found = extract(text, "en")
    assert isinstance(found, Entities)
    assert len(found.product_query) <= 1000
