"""What a shopper's chat message names: order numbers, e-mail addresses, metals, stones,
categories, sizes, prices and currencies, countries and products, in the store's seven languages.

extract_entities("Where is order 261207-abcd2345? my email is ana@example.com", language="en")
gives Entities(order_numbers=("261207-ABCD2345",), emails=("ana@example.com",), ...).

Product words (metals, purities, gemstones, categories, price limits) are the search's own
query understanding (ai.search.query, the catalog's names in every language, typo tolerant),
so the assistant and the search agree on what "18k rose gold under 500 €" means. The rest is
small tables and patterns of its own:

- order numbers are the checkout's format (orders.services.checkout.new_order_number:
  "YYMMDD-" and eight letters/digits of an alphabet without 0, 1, I, L, O), typed in any case,
  with or without the dash, with spaces, full-width;
- sizes: ring sizes after a size word ("size 7", "taille 52", "Größe 54", "talla 14",
  "サイズ7", "12号", "مقاس 7") and chain lengths ("45 cm", "18 inches", "45厘米");
- countries: django_countries' names in each of the seven languages (and a few everyday
  aliases: "USA", "UK", "アメリカ", "阿联酋"), plus ISO codes typed in capitals ("FR", "DE");
- products: a published product whose name (in any language) or handle is in the text.

The lookup tables are built once per process (countries) or per catalog version (products).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation

from ai.search.query import currency_named, parse_current
from ai.search.text import is_arabic, normalise, stem, words
from catalog.selectors import catalog_version, published_products
from shop.language import content_language
from shop.money import to_base

MAX_TEXT_LENGTH = 1000
MAX_NAME_WORDS = 8  # the longest country or product name matched, in words
# A product name of one word matches only from this length: "Ring" or "Luna" alone names no
# product, "Constellation" does. Names in Chinese or Japanese from this many characters.
MIN_SINGLE_WORD_NAME = 6
MIN_CJK_NAME = 3


@dataclass(frozen=True)
class Entities:
    order_numbers: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    metals: tuple[str, ...] = ()  # catalog vocabulary keys (as the search's query understanding)
    gemstones: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # category slugs
    sizes: tuple[str, ...] = ()  # ring sizes / lengths as typed, normalised ("52", "7", "45cm")
    price_min: Decimal | None = None  # in the base currency
    price_max: Decimal | None = None
    currency: str | None = None  # ISO code if the shopper named one
    countries: tuple[str, ...] = ()  # ISO 3166 alpha-2
    product_handles: tuple[str, ...] = ()  # published products named in the text
    product_query: str = ""  # the text's product words, for search_products


# --- order numbers and e-mails -----------------------------------------------------------------
# The checkout's alphabet (orders.services.checkout._NUMBER_ALPHABET), either case.
_ORDER_CHAR = "[2-9A-HJKMNP-Za-hjkmnp-z]"
_ORDER = re.compile(
    rf"(?<![0-9A-Za-z])#?\s*(\d{{2}})(\d{{2}})(\d{{2}})\s?[-‐‑–—_]?\s?"
    rf"({_ORDER_CHAR}{{4}})[\s-]?({_ORDER_CHAR}{{4}})(?![0-9A-Za-z])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def _find_order_numbers(text: str) -> tuple[list[str], str]:
    found: list[str] = []

    def take(match: re.Match) -> str:
        year, month, day, head, tail = match.groups()
        if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
            return match.group()
        number = f"{year}{month}{day}-{head}{tail}".upper()
        if number not in found:
            found.append(number)
        return " "

    rest = _ORDER.sub(take, text)
    return found, rest


def _find_emails(text: str) -> tuple[list[str], str]:
    found: list[str] = []

    def take(match: re.Match) -> str:
        email = match.group().strip(".").lower()
        if email not in found:
            found.append(email)
        return " "

    return found, _EMAIL.sub(take, text)


# --- sizes -------------------------------------------------------------------------------------
_SIZE_NUMBER = r"(\d{1,2}\s?1/2|\d{1,2}(?:[.,]\d{1,2})?)"
_SIZE_WORDS = (
    r"size|sz|taille|tour de doigt|ringgrosse|grosse|gr\.|talla|medida|tamano|"
    r"numero|サイズ|号数|尺寸|尺码|圈号|戒指号|مقاس|المقاس|قياس|القياس|حجم"
)
_SIZES = (
    # "size 7", "taille: 52", "Größe 54" (normalised "grosse"), "サイズ7", "مقاس ٧"
    re.compile(
        rf"(?<![a-z])(?:{_SIZE_WORDS})\s*(?:[:：#]|n[°o]\.?|nr\.?)?\s*{_SIZE_NUMBER}(?!\d|[.,]\d)"
    ),
    # "12号", "12码", "7号サイズ"
    re.compile(rf"(?<![\d.]){_SIZE_NUMBER}\s*(?:号|码|號)"),
)
_LENGTH = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[.,]\d)?)\s*(cm|centimet(?:er|re)s?|zentimeter|centimetros?|"
    r"厘米|公分|センチ(?:メートル)?|سم|سنتيمتر|"
    r"inch(?:es)?|in\b|\"|pouces?|zoll|pulgadas?|インチ|英寸|بوصة|انش)"
)
_INCH_UNITS = {"inch", "inches", "in", '"', "pouce", "pouces", "zoll", "pulgada", "pulgadas"}
_INCH_UNITS |= {"インチ", "英寸", "بوصة", "انش"}


def _size_value(number: str) -> str:
    number = number.replace(",", ".").replace(" ", "")
    if number.endswith("1/2"):
        number = f"{number[:-3]}.5"
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return number


def _find_sizes(normal: str) -> tuple[list[str], str]:
    """Sizes and lengths in normalised text, and the text without them."""
    found: list[str] = []

    def add(value: str) -> None:
        if value and value not in found:
            found.append(value)

    def take_length(match: re.Match) -> str:
        number, unit = match.groups()
        unit_code = "in" if unit in _INCH_UNITS else "cm"
        add(f"{_size_value(number)}{unit_code}")
        return " "

    def take_size(match: re.Match) -> str:
        add(_size_value(match.group(1)))
        return " "

    rest = _LENGTH.sub(take_length, normal)
    for pattern in _SIZES:
        rest = pattern.sub(take_size, rest)
    return found, rest


# --- name tables (countries, products) -------------------------------------------------------
@dataclass
class _Names:
    """Names as stemmed word tuples (Latin, Arabic) and as CJK strings, each with its value."""

    latin: dict[tuple[str, ...], str]
    cjk: dict[str, str]
    longest_latin: int
    longest_cjk: int


def _name_key(name: str) -> tuple[tuple[str, ...] | None, str | None]:
    parts = words(name)
    if parts and all(cjk for _word, cjk in parts):
        return None, "".join(word for word, _cjk in parts)
    if any(cjk for _word, cjk in parts):
        return None, None  # mixed scripts: rare in names; not matched
    return tuple(stem(word) for word, _cjk in parts) or None, None


def _names(pairs) -> _Names:
    latin: dict[tuple[str, ...], str] = {}
    cjk: dict[str, str] = {}
    for name, value in pairs:
        key, run = _name_key(name)
        if key:
            latin.setdefault(key, value)
        elif run:
            cjk.setdefault(run, value)
    return _Names(
        latin=latin,
        cjk=cjk,
        longest_latin=min(MAX_NAME_WORDS, max((len(key) for key in latin), default=1)),
        longest_cjk=max((len(run) for run in cjk), default=1),
    )


_ARABIC_ONE_LETTER_PREFIXES = ("و", "ب", "ل", "ف", "ك")


def _match_names(parts: list[tuple[str, bool]], names: _Names) -> list[tuple[str, str]]:
    """(value, words matched) of the names found in a text's words, longest first, no overlap."""
    found: list[tuple[str, str]] = []
    # Consecutive CJK words are one run ("ダイヤモンド ソリテール リング" is one name).
    joined: list[tuple[str, bool]] = []
    for word, cjk in parts:
        if cjk and joined and joined[-1][1]:
            joined[-1] = (joined[-1][0] + word, True)
        else:
            joined.append((word, cjk))
    parts = joined
    stems = []
    for word, cjk in parts:
        if cjk:
            stems.append(None)
            continue
        stemmed = stem(word)
        # "لفرنسا" is "to France": a one-letter preposition written onto the name.
        if is_arabic(word[0]) and word.startswith(_ARABIC_ONE_LETTER_PREFIXES) and len(word) > 3:
            bare = stem(word[1:])
            if (stemmed,) not in names.latin and any(key[0] == bare for key in names.latin):
                stemmed = bare
        stems.append(stemmed)
    i = 0
    while i < len(parts):
        word, cjk = parts[i]
        if cjk:
            j = 0
            while j < len(word):
                for size in range(min(names.longest_cjk, len(word) - j), 0, -1):
                    value = names.cjk.get(word[j : j + size])
                    if value is not None:
                        found.append((value, word[j : j + size]))
                        j += size
                        break
                else:
                    j += 1
            i += 1
            continue
        run: list[str] = []
        for j in range(i, min(len(parts), i + names.longest_latin)):
            if stems[j] is None:
                break
            run.append(stems[j])
        for size in range(len(run), 0, -1):
            value = names.latin.get(tuple(run[:size]))
            if value is not None:
                found.append((value, " ".join(word for word, _c in parts[i : i + size])))
                i += size
                break
        else:
            i += 1
    return found


# --- countries ---------------------------------------------------------------------------------
# Everyday names django_countries does not give (its names are the official short ones).
COUNTRY_ALIASES = {
    "US": "USA, U.S.A., America, United States, Etats-Unis, Amerique, Amerika, Vereinigte Staaten, "
    "EEUU, EE.UU., EE UU, Estados Unidos, アメリカ, 米国, 美国, أمريكا, امريكا, الولايات المتحدة",
    "GB": "UK, U.K., Britain, Great Britain, England, Scotland, Wales, Angleterre, "
    "Grande-Bretagne, Grossbritannien, Inglaterra, Gran Bretana, 英国, イギリス, 英國, بريطانيا",
    "AE": "UAE, Emirates, Dubai, Abu Dhabi, Emirats, Emirate, Emiratos, Dubái, 阿联酋, 迪拜, "
    "ドバイ, الإمارات, دبي, أبوظبي",
    "NL": "Holland, the Netherlands, Hollande, Holanda, オランダ, 荷兰, هولندا",
    "KR": "Korea, Coree, Korea, Corea, 韓国, 韩国, كوريا",
    "CN": "中国大陆, 大陆",
    "TR": "Turkey, Turkiye, Turquia, Turkei",
    "CZ": "Czech Republic, Czech, Republique tcheque, Tschechien, Republica Checa",
    "VN": "Vietnam, Viet Nam",
    "CI": "Ivory Coast",
    "RU": "Russia, Russie, Russland, Rusia, ロシア, 俄罗斯, روسيا",
    "SA": "KSA, Saudi, Saudi Arabia, السعودية",
}
# Capitals that are words far more often than countries ("IT", "IN", "AM", "NO", "ME").
_NOT_COUNTRY_CODES = frozenset(
    "AD AM AS AT BE BY DO GO HE HI IN IS IT LA MA ME MY NO OK ON OR SO TO UP WE PS TV".split()  # noqa: SIM905
)
_CAPITALS = re.compile(r"(?<![A-Za-z])([A-Z]{2,3})(?![A-Za-z])")
_ISO3_ALIASES = {"USA": "US", "UAE": "AE", "KSA": "SA"}
_countries: tuple[_Names, frozenset[str]] | None = None
_countries_lock = threading.Lock()


def _plain_variants(name: str) -> list[str]:
    """A country's name, without its parenthesis ("Korea (the Republic of)") and the part
    before a comma ("Congo, The Democratic Republic of the")."""
    variants = [name]
    bare = re.sub(r"\s*\(.*?\)", "", name).strip()
    if bare and bare != name:
        variants.append(bare)
    if "," in name:
        variants.append(name.split(",", 1)[0].strip())
    return variants


def _country_tables() -> tuple[_Names, frozenset[str]]:
    """Every country's name in every store language, built once per process (about 1,800
    names; django_countries' translations are static)."""
    global _countries
    if _countries is not None:
        return _countries
    with _countries_lock:
        if _countries is None:
            from django_countries import countries

            pairs: list[tuple[str, str]] = []
            for code, aliases in COUNTRY_ALIASES.items():
                pairs.extend((alias.strip(), code) for alias in aliases.split(","))
            codes: set[str] = set()
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for code, name in countries:
                        codes.add(code)
                        pairs.extend((variant, code) for variant in _plain_variants(str(name)))
            _countries = (_names(pairs), frozenset(codes))
    return _countries


def _find_countries(original: str, parts: list[tuple[str, bool]]) -> tuple[list[str], set[str]]:
    """ISO codes of the countries named, and the (normalised) words that named them."""
    names, codes = _country_tables()
    found: list[str] = []
    matched_words: set[str] = set()
    for code, phrase in _match_names(parts, names):
        if code not in found:
            found.append(code)
        matched_words.update(phrase.split())
    # A shouted message ("WHERE IS MY ORDER") is not a list of country codes.
    letters = [char for char in original if char.isalpha() and char.isascii()]
    shouting = letters and sum(char.isupper() for char in letters) > 0.6 * len(letters)
    if not shouting:
        for match in _CAPITALS.finditer(original):
            word = match.group(1)
            code = _ISO3_ALIASES.get(word, word)
            if word == "UK":
                code = "GB"
            if code in codes and word not in _NOT_COUNTRY_CODES and code not in found:
                found.append(code)
                matched_words.add(word.lower())
    return found, matched_words


# --- products ----------------------------------------------------------------------------------
_products: tuple[int, _Names, frozenset[str]] | None = None
_products_lock = threading.Lock()
_HANDLE = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])")


def _product_tables() -> tuple[_Names, frozenset[str]]:
    """Published products' names (every language) and hyphenated handles, rebuilt when the
    catalog changes (catalog_version: one cache read per message; one query per rebuild)."""
    global _products
    version = catalog_version()
    cached = _products
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    with _products_lock:
        cached = _products
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        rows = published_products().values_list("handle", "translations__name")
        pairs: list[tuple[str, str]] = []
        handles: set[str] = set()
        for handle, name in rows:
            if "-" in handle:
                # Typed as it is in a link ("pearl-earrings"); as words it would be a name
                # as generic as "diamond ring".
                handles.add(handle)
            elif _specific(handle):
                pairs.append((handle, handle))
            if name and _specific(name):
                pairs.append((name, handle))
        _products = (version, _names(pairs), frozenset(handles))
    return _products[1], _products[2]


def _find_products(normal: str, parts: list[tuple[str, bool]]) -> list[str]:
    names, handles = _product_tables()
    found = [match.group() for match in _HANDLE.finditer(normal) if match.group() in handles]
    found.extend(handle for handle, _words in _match_names(parts, names))
    return list(dict.fromkeys(found))


def _specific(name: str) -> bool:
    """Whether a name is specific enough to mean one product when it appears in a message."""
    parts = words(name)
    if not parts:
        return False
    if all(cjk for _word, cjk in parts):
        return sum(len(word) for word, _cjk in parts) >= MIN_CJK_NAME
    if len(parts) == 1:
        return len(parts[0][0]) >= MIN_SINGLE_WORD_NAME
    return True


def clear_cache() -> None:
    """Forgets the product table (tests; the country table never changes in a process)."""
    global _products
    with _products_lock:
        _products = None


# --- politeness (left out of the product query) ----------------------------------------------
POLITENESS = {
    "en": "hi, hello, hey, please, pls, plz, thanks, thank you, thx, could you, can you, "
    "i would like, i'd like, i am looking for, i'm looking for, looking for, do you have, "
    "good morning, good evening, show me",
    "fr": "bonjour, bonsoir, salut, merci, merci beaucoup, s'il vous plait, s'il te plait, svp, "
    "stp, je cherche, je voudrais, vous avez, avez-vous, auriez-vous, montrez-moi",
    "de": "hallo, hi, guten tag, guten morgen, guten abend, bitte, danke, vielen dank, "
    "ich suche, ich mochte, ich hatte gern, habt ihr, haben sie, zeig mir, zeigen sie mir",
    "es": "hola, buenas, buenos dias, buenas tardes, buenas noches, por favor, gracias, "
    "muchas gracias, busco, estoy buscando, quiero, quisiera, tienen, tienes, muestrame",
    "ja": "こんにちは, こんばんは, ありがとう, ありがとうございます, お願いします, おねがいします, "
    "ください, すみません, 探しています, さがしています, ありますか",
    "zh-hans": "你好, 您好, 请问, 谢谢, 麻烦, 我想要, 我想找, 我要, 有没有, 请",
    "ar": "مرحبا, اهلا, أهلا, السلام عليكم, من فضلك, لو سمحت, شكرا, أبحث عن, ابحث عن, أريد, "
    "اريد, هل لديكم, عندكم",
}
_politeness: dict[str, re.Pattern] = {}


def _politeness_pattern(language: str) -> re.Pattern:
    pattern = _politeness.get(language)
    if pattern is None:
        phrases: set[str] = set()
        for code in dict.fromkeys([language, settings.LANGUAGE_CODE]):
            phrases.update(normalise(p.strip()) for p in POLITENESS.get(code, "").split(","))
        ordered = sorted((p for p in phrases if p), key=len, reverse=True)
        # CJK phrases have no word boundaries; Latin ones must not cut words ("hi" in "chic").
        latin = "|".join(re.escape(p) for p in ordered if not _has_cjk(p))
        cjk = "|".join(re.escape(p) for p in ordered if _has_cjk(p))
        parts = []
        if latin:
            parts.append(rf"(?<![^\W_])(?:{latin})(?![^\W_])")
        if cjk:
            parts.append(rf"(?:{cjk})")
        pattern = re.compile("|".join(parts) or r"(?!x)x")
        _politeness[language] = pattern
    return pattern


def _has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(char) == "W" for char in text)


# --- extraction --------------------------------------------------------------------------------
_TIME_AFTER = re.compile(
    r"\s*(?:business\s+)?(?:days?|weeks?|hours?|jours?|semaines?|tage?n?|wochen|werktagen?|"
    r"dias?|semanas?|horas?|日|天|週間|周|営業日|个工作日|工作日|ايام|يوم|اسابيع|ساعه)"
)


def _price_is_time(normal: str, phrase: str) -> bool:
    """'3 to 5 days' reads as a price range to the search; in a chat it is a duration."""
    at = normal.find(phrase)
    return at >= 0 and bool(_TIME_AFTER.match(normal, at + len(phrase)))


def extract_entities(text: str, *, language: str, currency: str | None = None) -> Entities:
    """The entities of one message. `currency` is the shopper's (for prices typed without
    one); price limits come back in the base currency."""
    language = content_language(language)  # one of the store's (caches are per language)
    original = unicodedata.normalize("NFKC", str(text or ""))[:MAX_TEXT_LENGTH]
    order_numbers, rest = _find_order_numbers(original)
    emails, rest = _find_emails(rest)
    normal = normalise(rest)
    sizes, normal = _find_sizes(normal)
    parts = words(normal)
    countries, country_words = _find_countries(rest, parts)
    product_handles = _find_products(normal, parts)

    parsed = parse_current(normal, language=language)
    metals, gemstones, categories = [], [], []
    for item in parsed.recognised:
        kind, _sep, key = item.key.partition(":")
        target = {"metal": metals, "gemstone": gemstones, "category": categories}.get(kind)
        if target is not None and key not in target:
            target.append(key)
    price_min = price_max = None
    named = parsed.price_currency
    prices = [item for item in parsed.recognised if item.kind == "price"]
    if prices and not any(_price_is_time(normal, item.phrase) for item in prices):
        amount_currency = named or currency
        if parsed.price_min is not None:
            price_min = _base(parsed.price_min, amount_currency, rounding="min")
        if parsed.price_max is not None:
            price_max = _base(parsed.price_max, amount_currency, rounding="max")
    else:
        named = None
    named = named or currency_named(normal, language=language)

    query = _product_query(normal, language, country_words)
    return Entities(
        order_numbers=tuple(order_numbers),
        emails=tuple(emails),
        metals=tuple(metals),
        gemstones=tuple(gemstones),
        categories=tuple(categories),
        sizes=tuple(sizes),
        price_min=price_min,
        price_max=price_max,
        currency=named,
        countries=tuple(countries),
        product_handles=tuple(product_handles),
        product_query=query,
    )


def _base(amount: Decimal, currency: str | None, *, rounding) -> Decimal:
    if currency:
        return to_base(Decimal(amount), currency, rounding=rounding)
    return Decimal(amount)


def _product_query(normal: str, language: str, country_words: set[str]) -> str:
    """The message without politeness words, countries and punctuation: what search_products
    reads (it does its own understanding of metals, stones and prices)."""
    text = _politeness_pattern(language).sub(" ", normal)
    kept = [
        token
        for token in re.findall(r"[^\s?!¿¡。？！、,;:()\"“”«»،؛؟]+", text)
        if token not in country_words
    ]
    return " ".join(kept).strip(" .-'’")
