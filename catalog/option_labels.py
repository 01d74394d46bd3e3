"""Variant option names and values in the shopper's language.

A product's options (Metal, Ring size...) and its variants' values ("14K Rose Gold", "7") are
stored once, as source text (see catalog.models.OptionLabel for why). What a shopper reads is,
in this order: a translator's label in their language (an OptionLabel row), the label composed
here from the catalog's jewellery vocabulary ("Or rose 14 carats"), or the source text.

The vocabulary is the one the catalog already has (catalog.vocabulary): metal, gold-colour
and gemstone names in seven languages, and the metal keywords the Shopify import recognises;
only a few words those tables lack (option names, sizes, units, some metals) are written here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import translation

from . import ring_sizes, vocabulary
from .models import GemCut, OptionLabel, Product, ProductVariant

NAME, VALUE = OptionLabel.Kind.NAME.value, OptionLabel.Kind.VALUE.value
SOURCE_LANGUAGE = "en"  # Shopify option text and the vocabulary's keys are English

# --- option names ------------------------------------------------------------------------------
# English name (lower case) -> label per language.
_NAMES: dict[str, dict[str, str]] = {}


def _name(keys: Iterable[str], fr: str, de: str, es: str, ja: str, zh: str, ar: str) -> None:
    labels = {"fr": fr, "de": de, "es": es, "ja": ja, "zh-hans": zh, "ar": ar}
    for key in keys:
        _NAMES[key] = labels


_name(["metal", "metal type"], "Métal", "Metall", "Metal", "地金", "金属", "المعدن")
_name(
    ["metal color", "metal colour"],
    "Couleur du métal",
    "Metallfarbe",
    "Color del metal",
    "地金カラー",
    "金属颜色",
    "لون المعدن",
)
_name(["material"], "Matière", "Material", "Material", "素材", "材质", "الخامة")
_name(
    ["ring size"], "Taille de bague", "Ringgröße", "Talla de anillo", "リングサイズ", "戒指尺寸",
    "مقاس الخاتم",
)  # fmt: skip
_name(["size"], "Taille", "Größe", "Talla", "サイズ", "尺寸", "المقاس")
_name(["length"], "Longueur", "Länge", "Longitud", "長さ", "长度", "الطول")
_name(
    ["chain length"],
    "Longueur de chaîne",
    "Kettenlänge",
    "Longitud de la cadena",
    "チェーンの長さ",
    "链长",
    "طول السلسلة",
)
_name(["color", "colour"], "Couleur", "Farbe", "Color", "カラー", "颜色", "اللون")
_name(["gemstone", "gem"], "Pierre", "Edelstein", "Piedra", "宝石", "宝石", "الحجر الكريم")
_name(["stone"], "Pierre", "Stein", "Piedra", "石", "宝石", "الحجر")
_name(
    ["birthstone"],
    "Pierre de naissance",
    "Geburtsstein",
    "Piedra de nacimiento",
    "誕生石",
    "生辰石",
    "حجر الميلاد",
)
_name(["purity", "karat", "gold purity"], "Titre", "Feingehalt", "Pureza", "品位", "成色", "العيار")
_name(
    ["carat", "carat weight", "total carat weight"],
    "Poids en carats",
    "Karatgewicht",
    "Peso en quilates",
    "カラット",
    "克拉重量",
    "الوزن بالقيراط",
)
_name(["shape", "cut"], "Forme", "Form", "Forma", "形", "形状", "الشكل")
_name(["width"], "Largeur", "Breite", "Ancho", "幅", "宽度", "العرض")
_name(["style"], "Style", "Stil", "Estilo", "スタイル", "款式", "الطراز")
_name(["finish"], "Finition", "Oberfläche", "Acabado", "仕上げ", "表面工艺", "اللمسة النهائية")

# --- option values -----------------------------------------------------------------------------
LATIN = {"fr", "de", "es"}


def _by_language(names: tuple[str, ...]) -> dict[str, str]:
    """A name tuple in the vocabulary's language order (LANGS), as {language: name}."""
    return dict(zip(vocabulary.LANGS, names, strict=True))


# Metals named without a purity: the vocabulary's metal names, plus a few metals the import
# recognises that the vocabulary does not name.
_BARE_METAL: dict[str, dict[str, str]] = {
    slug: _by_language(metal.names) for slug, metal in vocabulary.METALS.items()
}
_BARE_METAL |= {
    "gold": {"fr": "Or", "de": "Gold", "es": "Oro", "ja": "ゴールド", "zh-hans": "黄金",
             "ar": "الذهب"},
    "silver": {"fr": "Argent", "de": "Silber", "es": "Plata", "ja": "シルバー", "zh-hans": "银",
               "ar": "الفضة"},
    "palladium": {"fr": "Palladium", "de": "Palladium", "es": "Paladio", "ja": "パラジウム",
                  "zh-hans": "钯金", "ar": "البلاديوم"},
    "titanium": {"fr": "Titane", "de": "Titan", "es": "Titanio", "ja": "チタン",
                 "zh-hans": "钛", "ar": "التيتانيوم"},
    "stainless-steel": {"fr": "Acier inoxydable", "de": "Edelstahl", "es": "Acero inoxidable",
                        "ja": "ステンレス", "zh-hans": "不锈钢", "ar": "الفولاذ المقاوم للصدأ"},
}  # fmt: skip
# Gold colour words as they read next to a karat ("or rose", "Roségold"), from the vocabulary.
_GOLD_WORD: dict[str, dict[str, str]] = dict(vocabulary.GOLD_COLOUR)
_GOLD_WORD["gold"] = {
    "fr": "or", "de": "Gold", "es": "oro", "ja": "ゴールド", "zh-hans": "金", "ar": "الذهب",
}  # fmt: skip
# Gemstones and other materials a variant may be offered in (Diamond, Pearl...).
_STONES: dict[str, dict[str, str]] = {
    names["en"].lower(): names
    for names in (
        *(_by_language(material[2]) for material in vocabulary.OTHER_MATERIALS),
        *(_by_language(gem.names) for gem in vocabulary.GEMS.values()),
    )
}
# A karat on its own (an option named Purity or Karat): "14K".
_KARAT_ONLY = {"fr": "{} carats", "de": "{} Karat", "es": "{} quilates", "ja": "{}K",
               "zh-hans": "{}K", "ar": "عيار {}"}  # fmt: skip
# The languages every table above is written in; another configured language gets the source.
LANGUAGES = frozenset(vocabulary.LANGS)
_WORDS: dict[str, dict[str, str]] = {
    "small": {"fr": "Petit", "de": "Klein", "es": "Pequeño", "ja": "S", "zh-hans": "小号",
              "ar": "صغير"},
    "medium": {"fr": "Moyen", "de": "Mittel", "es": "Mediano", "ja": "M", "zh-hans": "中号",
               "ar": "متوسط"},
    "large": {"fr": "Grand", "de": "Groß", "es": "Grande", "ja": "L", "zh-hans": "大号",
              "ar": "كبير"},
    "one size": {"fr": "Taille unique", "de": "Einheitsgröße", "es": "Talla única",
                 "ja": "フリーサイズ", "zh-hans": "均码", "ar": "مقاس واحد"},
    "adjustable": {"fr": "Ajustable", "de": "Verstellbar", "es": "Ajustable",
                   "ja": "サイズ調整可能", "zh-hans": "可调节", "ar": "قابل للتعديل"},
}  # fmt: skip
_SIZE_WORD = {"fr": "Taille {}", "de": "Größe {}", "es": "Talla {}", "ja": "サイズ{}",
              "zh-hans": "尺码{}", "ar": "مقاس {}"}  # fmt: skip
_UNITS = {
    "in": {"fr": "{} pouces", "de": "{} Zoll", "es": "{} pulgadas", "ja": "{}インチ",
           "zh-hans": "{}英寸", "ar": "{} بوصة"},
    "cm": {"fr": "{} cm", "de": "{} cm", "es": "{} cm", "ja": "{}cm", "zh-hans": "{}厘米",
           "ar": "{} سم"},
    "mm": {"fr": "{} mm", "de": "{} mm", "es": "{} mm", "ja": "{}mm", "zh-hans": "{}毫米",
           "ar": "{} مم"},
    "ct": {"fr": "{} ct", "de": "{} ct", "es": "{} ct", "ja": "{}ct", "zh-hans": "{}克拉",
           "ar": "{} قيراط"},
}  # fmt: skip
_UNIT_WORDS = {
    "in": "in", "inch": "in", "inches": "in", '"': "in", "”": "in", "''": "in",
    "cm": "cm", "mm": "mm",
    "ct": "ct", "cts": "ct", "ctw": "ct", "tcw": "ct", "carat": "ct", "carats": "ct",
}  # fmt: skip

_NUMBER = r"\d+(?:[.,]\d+)?(?:\s+\d/\d)?|\d/\d"
NUMBER_RE = re.compile(rf"^(?:{_NUMBER})$")
SIZE_RE = re.compile(rf"^(?:size|us|us size)\s*:?\s*({_NUMBER})$")
MEASURE_RE = re.compile(rf"^({_NUMBER})\s*(in|inch|inches|\"|”|''|cm|mm|cts?|ctw|tcw|carats?)$")
LETTER_SIZE_RE = re.compile(r"^(?:x{0,3}s|m|x{0,3}l|\d?xl|\d?xs)$")
KARAT_RE = re.compile(r"(?<![\w.])(9|10|14|18|22|24)\s*(?:k|kt|ct|karat|carat)(?!\w)")
FINENESS_RE = re.compile(r"(?<![\w.])(?:pt\s*)?(925|950|999)(?!\w)")


def _normalise(text: str) -> str:
    return " ".join(text.replace("-", " ").split()).lower()


def _capitalised(text: str, language: str) -> str:
    return text[:1].upper() + text[1:] if language in LATIN else text


def _number(text: str, language: str) -> str:
    """A number in the language's decimal convention: 7.5 reads 7,5 in French."""
    text = " ".join(text.split())
    if language in LATIN:
        return text.replace(".", ",")
    return text.replace(",", ".")


def _gold(colour: str, karat: str, language: str) -> str:
    word = _GOLD_WORD[colour][language]
    return {
        "fr": _capitalised(f"{word} {karat} carats", "fr"),
        "de": f"{karat} Karat {word}",
        "es": _capitalised(f"{word} de {karat} quilates", "es"),
        "ja": f"{karat}K{word}",
        "zh-hans": f"{karat}K{word}",
        "ar": f"{word} عيار {karat}",
    }[language]


def _metal_slug(words: str) -> str | None:
    if words == "gold":
        return "gold"  # no colour named: "Or 14 carats", not "Or jaune"
    term = vocabulary.METAL_KEYWORDS.get(words)
    return term.slug if term is not None else None


def _metal_value(text: str, language: str) -> str | None:
    """ "14K Rose Gold", "Rose Gold 18k", "Platinum", "950 Platinum", "925 Sterling Silver"."""
    karat = KARAT_RE.search(text)
    fineness = FINENESS_RE.search(text)
    rest = text
    for match in (karat, fineness):
        if match:
            rest = rest.replace(match.group(0), " ")
    rest = " ".join(rest.split())
    if karat and not rest and not fineness:
        return _KARAT_ONLY[language].format(karat.group(1))
    if fineness and not rest and fineness.group(0).startswith("pt"):
        rest = "platinum"
    slug = _metal_slug(rest)
    if slug is None or (karat and fineness):
        return None
    if karat:
        if slug not in _GOLD_WORD:
            return None
        return _gold(slug, karat.group(1), language)
    if fineness:
        purity = fineness.group(1)
        if slug == "platinum" and purity == "950":
            return _capitalised(
                vocabulary.metal_text(language, "platinum", "950", full=True), language
            )
        if slug in {"sterling-silver", "silver"} and purity == "925":
            return _capitalised(
                vocabulary.metal_text(language, "sterling-silver", "925", full=True), language
            )
        return None
    names = _BARE_METAL.get(slug)
    return names[language] if names else None


def _gem_cut(text: str, language: str) -> str | None:
    """Cut names the interface already translates (Round, Princess...), via gettext."""
    for _value, label in GemCut.choices:
        with translation.override(SOURCE_LANGUAGE):
            source = str(label)
        if source.lower() == text:
            with translation.override(language):
                translated = str(label)
            return translated if translated != source else None
    return None


@lru_cache(maxsize=4096)
def compose_option_name(source: str, language: str) -> str | None:
    """The option name in `language` from the vocabulary, or None when it is not known."""
    if language == SOURCE_LANGUAGE:
        return source
    if language not in LANGUAGES:
        return None
    labels = _NAMES.get(_normalise(source))
    return labels.get(language) if labels else None


@lru_cache(maxsize=8192)
def compose_option_value(source: str, language: str) -> str | None:
    """The option value in `language` from the vocabulary, or None when it is not known.

    Numbers (ring sizes) and letter sizes read the same everywhere, with the language's
    decimal comma; metals, purities, gemstones, sizes and lengths are written the way each
    language writes them ("14K Rose Gold" -> "Or rose 14 carats", "14 Karat Roségold").
    """
    if language == SOURCE_LANGUAGE:
        return source
    if language not in LANGUAGES:
        return None
    text = _normalise(source.replace("½", " 1/2"))
    if not text:
        return None
    if NUMBER_RE.match(text):
        return _number(text, language)
    if LETTER_SIZE_RE.match(text):
        return source.strip().upper()
    if match := SIZE_RE.match(text):
        return _SIZE_WORD[language].format(_number(match.group(1), language))
    if match := MEASURE_RE.match(source.strip().lower()):
        unit = _UNIT_WORDS[match.group(2)]
        return _UNITS[unit][language].format(_number(match.group(1), language))
    if text in _WORDS:
        return _WORDS[text][language]
    if text in _STONES:
        return _STONES[text][language]
    if (metal := _metal_value(text, language)) is not None:
        return metal
    return _gem_cut(text, language)


def compose(kind: str, source: str, language: str) -> str | None:
    if kind == NAME:
        return compose_option_name(source, language)
    return compose_option_value(source, language)


# --- reads -------------------------------------------------------------------------------------
@dataclass
class OptionTexts:
    """Option names and values as one language shows them (stored label, composed, source).

    A variant's ring size is shown in `ring_scale` (the shopper's: see catalog.ring_sizes),
    else in the usual scale of the language.
    """

    language: str
    stored: dict[tuple[str, str], str] = field(default_factory=dict)
    ring_scale: str | None = None

    @property
    def scale(self) -> str:
        return self.ring_scale or ring_sizes.scale_for(self.language)

    def _text(self, kind: str, source: str) -> str:
        if not source:
            return ""
        return self.stored.get((kind, source)) or compose(kind, source, self.language) or source

    def name(self, source: str) -> str:
        return self._text(NAME, source)

    def value(self, source: str) -> str:
        return self._text(VALUE, source)

    def ring_size(self, source: str) -> str:
        """A ring size in the shopper's scale with the stored one beside it ("54 (US 7)"), or
        the value as any other when it is already in that scale or cannot be read."""
        if not source:
            return ""
        shown = ring_sizes.display(source, scale=self.scale, language=self.language)
        return shown or self.value(source)

    def variant_value(self, variant, source: str) -> str:
        """One of the variant's option values: its ring size in the shopper's scale."""
        if is_ring_size(variant, source):
            return self.ring_size(source)
        return self.value(source)

    def variant_title(self, variant) -> str:
        """The variant's options joined like ProductVariant.title, in this language."""
        values = (variant.option1, variant.option2, variant.option3)
        return " / ".join(self.variant_value(variant, value) for value in values if value)


def is_ring_size(variant, source: str) -> bool:
    """Whether this option value of the variant is its ring size (ProductVariant.ring_size, which
    the import and the demo fill from the ring-size option, cut to the field's length)."""
    ring_size = getattr(variant, "ring_size", "")
    max_length = ProductVariant._meta.get_field("ring_size").max_length
    return bool(ring_size and source and source[:max_length] == ring_size)


def option_texts(
    *,
    names: Iterable[str] = (),
    values: Iterable[str] = (),
    language: str,
    ring_scale: str | None = None,
) -> OptionTexts:
    """The labels translators stored for these names and values in `language`: one query.

    Ring sizes show in `ring_scale` (catalog.ring_sizes.shopper_scale of the request), else in
    the language's usual scale."""
    names = {name for name in names if name}
    values = {value for value in values if value}
    texts = OptionTexts(language=language, ring_scale=ring_scale)
    if not names and not values:
        return texts
    translation_model = OptionLabel._parler_meta.root_model
    rows = (
        translation_model.objects.filter(language_code=language)
        .exclude(label="")
        .filter(master__source__in=names | values)
        .values_list("master__kind", "master__source", "label")
    )
    for kind, source, label in rows:
        if source in (names if kind == NAME else values):
            texts.stored[(kind, source)] = label
    return texts


def option_texts_for_variants(
    variants: Iterable, *, language: str, ring_scale: str | None = None
) -> OptionTexts:
    """Labels for the option values of these variants: one query."""
    variants = list(variants)
    values = [
        v for variant in variants for v in (variant.option1, variant.option2, variant.option3)
    ]
    return option_texts(values=values, language=language, ring_scale=ring_scale)


def product_option_sources(product: Product) -> tuple[list[str], list[str]]:
    """A product's option names and its variants' values, as stored."""
    names = [product.option1_name, product.option2_name, product.option3_name]
    values = [
        value
        for row in product.variants.values_list("option1", "option2", "option3")
        for value in row
    ]
    return names, values


def option_texts_for_product(
    product, variants: Iterable, *, language: str, ring_scale: str | None = None
) -> OptionTexts:
    """Labels for a product's option names and its variants' values: one query."""
    variants = list(variants)
    names = [product.option1_name, product.option2_name, product.option3_name]
    values = [
        v for variant in variants for v in (variant.option1, variant.option2, variant.option3)
    ]
    return option_texts(names=names, values=values, language=language, ring_scale=ring_scale)


def catalog_option_sources() -> dict[str, set[str]]:
    """Every option name and value the catalog's products and variants use, by kind."""
    sources: dict[str, set[str]] = {NAME: set(), VALUE: set()}
    for index in (1, 2, 3):
        column = f"option{index}_name"
        sources[NAME].update(
            Product.objects.exclude(**{column: ""}).values_list(column, flat=True).distinct()
        )
        column = f"option{index}"
        sources[VALUE].update(
            ProductVariant.objects.exclude(**{column: ""}).values_list(column, flat=True).distinct()
        )
    return sources


def stored_labels(language: str) -> set[tuple[str, str]]:
    """(kind, source) of every option label a translator (or import) stored in `language`."""
    translation_model = OptionLabel._parler_meta.root_model
    return set(
        translation_model.objects.filter(language_code=language)
        .exclude(label="")
        .values_list("master__kind", "master__source")
    )


def is_translated(kind: str, source: str, language: str, stored: set[tuple[str, str]]) -> bool:
    """Whether shoppers in `language` read this option text in their language."""
    if language == settings.LANGUAGE_CODE:
        return True
    return (kind, source) in stored or compose(kind, source, language) is not None


# --- writes ------------------------------------------------------------------------------------
@transaction.atomic
def option_labels_fill(
    *, names: Iterable[str] = (), values: Iterable[str] = (), languages: Iterable[str] | None = None
) -> int:
    """Makes sure each name and value has a label row, with its source-language label and the
    labels the vocabulary composes in `languages` (all configured ones by default).

    A label already stored (a translator's) is never replaced; text the vocabulary does not
    know is left for translators. Returns the number of translation rows written.
    """
    languages = [code for code, _name in settings.LANGUAGES] if languages is None else languages
    wanted = [(NAME, text[:120]) for text in set(names) if text]
    wanted += [(VALUE, text[:120]) for text in set(values) if text]
    if not wanted:
        return 0
    sources = {source for _kind, source in wanted}
    existing = {
        (label.kind, label.source): label
        for label in OptionLabel.objects.filter(source__in=sources)
    }
    new = [
        OptionLabel(kind=kind, source=source)
        for kind, source in wanted
        if (kind, source) not in existing
    ]
    OptionLabel.objects.bulk_create(new, batch_size=500)
    if new:
        # bulk_create sets primary keys on PostgreSQL and SQLite alike, but read them back so
        # other databases work too.
        existing = {
            (label.kind, label.source): label
            for label in OptionLabel.objects.filter(source__in=sources)
        }
    translation_model = OptionLabel._parler_meta.root_model
    have = set(
        translation_model.objects.filter(master__in=existing.values()).values_list(
            "master_id", "language_code"
        )
    )
    rows = []
    for key in set(wanted):
        label = existing[key]
        kind, source = key
        for language in languages:
            if (label.pk, language) in have:
                continue
            text = source if language == settings.LANGUAGE_CODE else compose(kind, source, language)
            if text:
                rows.append(
                    translation_model(master_id=label.pk, language_code=language, label=text[:120])
                )
    translation_model.objects.bulk_create(rows, batch_size=500)
    return len(rows)
