"""Ring sizes in the shopper's scale: US, UK, EU (ISO 8653), Japanese and Chinese sizes.

A ring size names one physical thing, the ring's inner circumference, and each country labels
it its own way: US "7", UK "N½", EU (ISO 8653) "54", Japan "14号", China "14号". Every scale
below is data: its sizes with the inner circumference (mm) a published table gives each one.
A size is converted by reading its circumference in its own scale and taking the size of the
other scale whose circumference is nearest; the table is never replaced by a formula.

The catalog stores sizes in one scale (settings.SHOP_RING_SIZE_SCALE, "US" by default: what
Shopify catalogs use); nothing here changes a stored value, it only says how to show it.
A size this module cannot read is shown as it was stored, never an error.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from shop.language import request_language

# The shopper's country for the session: the shipping country they last gave at checkout
# (orders writes it). A plain ISO 3166 code, so any app may read it.
COUNTRY_SESSION_KEY = "shopper_country"


class Scale(StrEnum):
    US = "US"
    UK = "UK"
    EU = "EU"
    JP = "JP"
    CN = "CN"


# Column headings of the size guide, in the order the guide shows the scales.
SCALE_NAMES = {
    Scale.US: gettext_lazy("US & Canada"),
    Scale.UK: gettext_lazy("UK & Australia"),
    Scale.EU: gettext_lazy("Europe (ISO 8653)"),
    Scale.JP: gettext_lazy("Japan"),
    Scale.CN: gettext_lazy("China"),
}

# --- the table -------------------------------------------------------------------------------
# (size, inner circumference in mm) per scale.
#
# US and UK: the "Conversion chart for ring sizes" of the Wikipedia article "Ring size"
# (en.wikipedia.org/wiki/Ring_size), the chart jewellers' printed size guides reproduce. Its US
# column follows the US standard (US Bureau of Standards circular: a whole size is 0.032 in of
# inner diameter, size 0 = 0.458 in), tabulated in quarter sizes; its UK column (letters with
# halves, BS 6820) sits on the same rows. The chart has no UK I½ or Y½: the UK half step
# (0.625 mm) is a little finer than the US quarter (0.64 mm), so one letter falls between rows
# there; those two are placed halfway between their neighbours so that they can still be read.
_US: tuple[tuple[str, float], ...] = (
    ("1", 39.1), ("1.25", 39.7), ("1.5", 40.4), ("1.75", 41.0),
    ("2", 41.7), ("2.25", 42.3), ("2.5", 42.9), ("2.75", 43.6),
    ("3", 44.2), ("3.25", 44.8), ("3.5", 45.5), ("3.75", 46.1),
    ("4", 46.8), ("4.25", 47.4), ("4.5", 48.0), ("4.75", 48.7),
    ("5", 49.3), ("5.25", 50.0), ("5.5", 50.6), ("5.75", 51.2),
    ("6", 51.9), ("6.25", 52.5), ("6.5", 53.1), ("6.75", 53.8),
    ("7", 54.4), ("7.25", 55.1), ("7.5", 55.7), ("7.75", 56.3),
    ("8", 57.0), ("8.25", 57.6), ("8.5", 58.3), ("8.75", 58.9),
    ("9", 59.5), ("9.25", 60.2), ("9.5", 60.8), ("9.75", 61.4),
    ("10", 62.1), ("10.25", 62.7), ("10.5", 63.4), ("10.75", 64.0),
    ("11", 64.6), ("11.25", 65.3), ("11.5", 65.9), ("11.75", 66.6),
    ("12", 67.2), ("12.25", 67.8), ("12.5", 68.5), ("12.75", 69.1),
    ("13", 69.7), ("13.25", 70.4), ("13.5", 71.0), ("13.75", 71.7),
    ("14", 72.3), ("14.25", 72.9), ("14.5", 73.6), ("14.75", 74.2),
    ("15", 74.8),
)  # fmt: skip
_UK: tuple[tuple[str, float], ...] = (
    ("A", 37.8), ("A½", 38.5), ("B", 39.1), ("B½", 39.7), ("C", 40.4), ("C½", 41.0),
    ("D", 41.7), ("D½", 42.3), ("E", 42.9), ("E½", 43.6), ("F", 44.2), ("F½", 44.8),
    ("G", 45.5), ("G½", 46.1), ("H", 46.8), ("H½", 47.4), ("I", 48.0), ("I½", 48.35),
    ("J", 48.7), ("J½", 49.3), ("K", 50.0), ("K½", 50.6), ("L", 51.2), ("L½", 51.9),
    ("M", 52.5), ("M½", 53.1), ("N", 53.8), ("N½", 54.4), ("O", 55.1), ("O½", 55.7),
    ("P", 56.3), ("P½", 57.0), ("Q", 57.6), ("Q½", 58.3), ("R", 58.9), ("R½", 59.5),
    ("S", 60.2), ("S½", 60.8), ("T", 61.4), ("T½", 62.1), ("U", 62.7), ("U½", 63.4),
    ("V", 64.0), ("V½", 64.6), ("W", 65.3), ("W½", 65.9), ("X", 66.6), ("X½", 67.2),
    ("Y", 67.8), ("Y½", 68.15), ("Z", 68.5), ("Z½", 69.1), ("Z+1", 70.4), ("Z+2", 71.7),
    ("Z+3", 72.9), ("Z+4", 74.2),
)  # fmt: skip
# EU: ISO 8653 names a ring by its inner circumference in millimetres (EN ISO 8653:2016, "ring
# size 54" is 54 mm), in whole sizes; the Chinese industry standard for ring sizes adopts it
# (ISO 8653 sizes 41 to 76). Half sizes (54.5) are read too, since the number is a measure.
_EU: tuple[tuple[str, float], ...] = tuple((str(size), float(size)) for size in range(41, 77))
# Japan: the Japanese ring gauge (号) as Japanese jewellers publish it: 1号 is 13.0 mm inside
# diameter and each 号 adds ⅓ mm of diameter (about 1.05 mm of circumference). Circumferences of
# 1号-27号 as in the published table (inner circumference column); 28号-30号 continue the step.
_JP: tuple[tuple[str, float], ...] = (
    ("1", 40.8), ("2", 41.9), ("3", 42.9), ("4", 44.0), ("5", 45.0), ("6", 46.1),
    ("7", 47.1), ("8", 48.2), ("9", 49.2), ("10", 50.3), ("11", 51.3), ("12", 52.4),
    ("13", 53.4), ("14", 54.5), ("15", 55.5), ("16", 56.6), ("17", 57.6), ("18", 58.6),
    ("19", 59.7), ("20", 60.7), ("21", 61.8), ("22", 62.8), ("23", 63.9), ("24", 64.9),
    ("25", 66.0), ("26", 67.0), ("27", 68.0), ("28", 69.1), ("29", 70.2), ("30", 71.2),
)  # fmt: skip
# China: the mainland 手寸 (号, 圈口) of Chinese jewellers' tables ("大陆版": 4号 is 44 mm of inner
# circumference, 26号 is 66 mm, one 号 per millimetre), i.e. the ISO 8653 size less 40. Close to
# the Japanese 号 but not the same (14号 is 54.0 mm in China, 54.5 mm in Japan); the Hong Kong
# 港度 scale is another one again and is not offered.
_CN: tuple[tuple[str, float], ...] = tuple(
    (str(size), float(size + 40))
    for size in range(4, 31)  # 4号 44 mm ... 26号 66 mm (the tables), up to 30号 (70 mm)
)

TABLE: dict[Scale, tuple[tuple[str, float], ...]] = {
    Scale.US: _US,
    Scale.UK: _UK,
    Scale.EU: _EU,
    Scale.JP: _JP,
    Scale.CN: _CN,
}
_BY_SIZE: dict[Scale, dict[str, float]] = {scale: dict(rows) for scale, rows in TABLE.items()}
# Sizes a conversion may land on: US whole and half sizes (what jewellers stock and shoppers
# know; a stored quarter size is still read), UK letters and halves, whole EU, JP and CN sizes.
_TARGETS: dict[Scale, tuple[tuple[str, float], ...]] = {
    scale: tuple(
        (size, mm)
        for size, mm in rows
        if scale != Scale.US or float(size) * 2 == int(float(size) * 2)
    )
    for scale, rows in TABLE.items()
}
# Beyond a scale's ends by more than this, it has no size for the ring (a US 1 has no CN size).
_OUT_OF_RANGE_MM = 1.0

# The size guide: one row per US whole and half size from 3 to 13 (the sizes sold), every other
# scale's nearest size beside it.
GUIDE_US_SIZES = tuple(str(n / 2).removesuffix(".0") for n in range(6, 27))


@dataclass(frozen=True)
class RingSize:
    """A size in one scale, with the inner circumference the table gives it."""

    scale: Scale
    size: str  # canonical: "7.5", "N½", "Z+1", "54", "14"
    circumference: float  # mm

    @property
    def diameter(self) -> float:
        return self.circumference / math.pi


# --- settings and choice of scale ----------------------------------------------------------------
def stored_scale() -> Scale:
    """The scale the catalog's sizes are written in (settings.SHOP_RING_SIZE_SCALE)."""
    value = str(getattr(settings, "SHOP_RING_SIZE_SCALE", "US") or "US").upper()
    return Scale(value) if value in Scale.__members__ else Scale.US


_COUNTRY_SCALES: dict[str, Scale] = {
    # US sizes: the United States, Canada and Mexico.
    **dict.fromkeys(("US", "CA", "MX", "PR"), Scale.US),
    # UK letters: the United Kingdom, Ireland, Australia, New Zealand, South Africa.
    **dict.fromkeys(("GB", "UK", "IE", "AU", "NZ", "ZA"), Scale.UK),
    Scale.JP: Scale.JP,
    Scale.CN: Scale.CN,
    # ISO circumference: continental Europe (Italy, Spain, the Netherlands and Switzerland also
    # number sizes as circumference less 40, which the size guide's millimetres answer).
    **dict.fromkeys(
        (
            "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR",
            "HU", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL", "NO", "PL", "PT", "RO",
            "SE", "SI", "SK",
        ),
        Scale.EU,
    ),
}  # fmt: skip
_LANGUAGE_SCALES: dict[str, Scale] = {
    "en": Scale.US,
    "fr": Scale.EU,
    "de": Scale.EU,
    "es": Scale.EU,
    "ja": Scale.JP,
    "zh-hans": Scale.CN,
    # Arabic-speaking countries have no ring scale of their own: jewellers there quote European
    # (ISO) circumference sizes or a local number, so when the country is not known the ISO
    # size, a plain measurement anyone can check with a strip of paper and a ruler, is the one
    # least likely to be misread. A known country (a US or UK address) still decides first.
    "ar": Scale.EU,
}


def scale_for(language: str | None, country: str | None = None) -> Scale:
    """The scale a shopper reads sizes in: their country's when known, else their language's,
    else the catalog's own."""
    scale = _COUNTRY_SCALES.get((country or "").strip().upper())
    if scale is not None:
        return scale
    code = (language or "").lower()
    return _LANGUAGE_SCALES.get(code) or _LANGUAGE_SCALES.get(code.split("-")[0]) or stored_scale()


_REGION_RE = re.compile(r"^[a-z]{2,3}[-_](?:[a-z]{4}[-_])?([a-z]{2})$")


def request_country(request) -> str:
    """The shopper's country as far as the store knows it, or "".

    The shipping country given at checkout this session, else the region of the browser's
    first language ("en-GB" → GB; "ja" names no country, and a lower-ranked "en-US" after it
    says nothing about where the shopper lives).
    """
    session = getattr(request, "session", None)
    if session is not None:
        country = session.get(COUNTRY_SESSION_KEY)
        if isinstance(country, str) and len(country) == 2 and country.isalpha():
            return country.upper()
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "") if hasattr(request, "META") else ""
    first = header.split(",", 1)[0].split(";", 1)[0].strip().lower()[:20]
    match = _REGION_RE.match(first)
    return match.group(1).upper() if match else ""


def shopper_scale(request) -> Scale:
    """The scale this request's shopper reads ring sizes in."""
    return scale_for(request_language(request), request_country(request))


def remember_country(session, country: str) -> None:
    """Keeps the shipping country a shopper gave, so pages show sizes for it from now on."""
    code = (country or "").strip().upper()
    if len(code) == 2 and code.isalpha() and session.get(COUNTRY_SESSION_KEY) != code:
        session[COUNTRY_SESSION_KEY] = code


# --- reading a stored size ----------------------------------------------------------------------
_FRACTIONS = {"½": ".5", "¼": ".25", "¾": ".75"}
_SLASH_FRACTION_RE = re.compile(r"\s*(?<![0-9])([13])/([24])(?![0-9])")
_PREFIX_RE = re.compile(
    r"^(?:(us|usa|uk|gb|au|eu|iso|jp|cn)(?![a-z])\.?\s*(?:size)?|size|taille|größe|talla)"
    r"\s*[:#]?\s*"
)
_SUFFIX_RE = re.compile(r"\s*\(?\s*(us|usa|uk|gb|au|eu|iso|jp|cn)\s*\)?$")
_GO_RE = re.compile(r"^(\d{1,2})\s*(?:号|號)(?:\s*\(?(jp|cn)\)?)?$")
_NUMBER_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})?$")
_LETTER_RE = re.compile(r"^([a-z])(\.5|\s*\+\s*[1-4])?$")
_SCALE_WORDS = {
    "us": Scale.US, "usa": Scale.US, "uk": Scale.UK, "gb": Scale.UK, "au": Scale.UK,
    "eu": Scale.EU, "iso": Scale.EU, "jp": Scale.JP, "cn": Scale.CN,
}  # fmt: skip


def _clean(text: str) -> str:
    text = " ".join(str(text).split()).lower()[:40]
    text = text.replace(",", ".").replace("\u00a0", " ")
    for fraction, decimal in _FRACTIONS.items():
        text = text.replace(fraction, decimal)
    text = _SLASH_FRACTION_RE.sub(
        lambda m: {"1/2": ".5", "1/4": ".25", "3/4": ".75"}.get(f"{m[1]}/{m[2]}", m[0]), text
    )
    # "7 .5" (from "7 ½") and "n .5" (from "N ½") read as one size.
    return re.sub(r"\s+\.", ".", text)


def _number_size(scale: Scale, text: str) -> RingSize | None:
    if not _NUMBER_RE.match(text):
        return None
    value = float(text)
    canonical = f"{value:g}"
    if scale == Scale.EU:
        first, last = _EU[0][1], _EU[-1][1]
        if first <= value <= last and value * 2 == int(value * 2):
            return RingSize(Scale.EU, canonical, value)
        return None
    mm = _BY_SIZE[scale].get(canonical)
    return RingSize(scale, canonical, mm) if mm is not None else None


def _letter_size(text: str) -> RingSize | None:
    match = _LETTER_RE.match(text)
    if not match:
        return None
    letter, extra = match.group(1).upper(), (match.group(2) or "").replace(" ", "")
    size = letter + ("½" if extra == ".5" else extra)
    mm = _BY_SIZE[Scale.UK].get(size)
    return RingSize(Scale.UK, size, mm) if mm is not None else None


def _in_scale(scale: Scale, text: str) -> RingSize | None:
    if scale == Scale.UK:
        return _letter_size(text)
    return _number_size(scale, text)


def parse(text: str, scale: str | None = None) -> RingSize | None:
    """The size `text` names, read in `scale` (the catalog's by default) unless it says its own.

    Reads "7", "7.5", "7,5", "7½", "7 1/2", "US 7", "Size 7", "N½", "N 1/2", "UK N", "Z+1",
    "54", "EU 54", "54.5", "13号", "JP 13", "CN 14". A bare number too large for the scale (54
    in US sizes) is an ISO circumference; a bare letter is a UK size only in a UK catalog or
    with its half ("N½"), since "M" and "L" are more often Medium and Large. Anything else is
    None: the caller shows the text as stored.
    """
    default = Scale(scale) if scale in Scale.__members__ else stored_scale()
    return _parse(str(text or ""), default)


@lru_cache(maxsize=4096)
def _parse(text: str, default: Scale) -> RingSize | None:
    text = _clean(text)
    if not text:
        return None
    if match := _GO_RE.match(text):
        named = _SCALE_WORDS.get(match.group(2) or "")
        go_scale = named or (default if default in (Scale.JP, Scale.CN) else Scale.JP)
        return _number_size(go_scale, match.group(1))
    named: Scale | None = None
    if match := _PREFIX_RE.match(text):
        named = _SCALE_WORDS.get(match.group(1) or "")
        rest = text[match.end() :]
        if not rest:
            return None
        text = rest
    elif match := _SUFFIX_RE.search(text):
        named = _SCALE_WORDS[match.group(1)]
        text = text[: match.start()]
    text = text.strip().removesuffix("号").removesuffix("號").strip()
    if named is not None:
        return _in_scale(named, text)
    if _LETTER_RE.match(text):
        if default == Scale.UK or ".5" in text or "+" in text:
            return _letter_size(text)
        return None
    size = _in_scale(default, text)
    if size is None and default != Scale.EU and re.match(r"^\d{2}(\.5)?$", text):
        size = _number_size(Scale.EU, text)
    return size


def convert(size: RingSize, scale: str) -> RingSize | None:
    """The size of `scale` nearest to `size` (by inner circumference), None past its ends.

    Exactly between two sizes, the larger: a ring a little loose can be worn, one too tight
    cannot.
    """
    if scale not in Scale.__members__:
        return None
    target = Scale(scale)
    if target == size.scale:
        return size
    rows = _TARGETS[target]
    if not rows[0][1] - _OUT_OF_RANGE_MM <= size.circumference <= rows[-1][1] + _OUT_OF_RANGE_MM:
        return None
    best = min(rows, key=lambda row: (round(abs(row[1] - size.circumference), 3), -row[1]))
    return RingSize(target, best[0], best[1])


# --- showing a size --------------------------------------------------------------------------
_LATIN = {"fr", "de", "es"}


def _number(size: str, language: str) -> str:
    return size.replace(".", ",") if language.split("-")[0] in _LATIN else size


def size_text(size: RingSize, language: str, *, named: bool = False) -> str:
    """The size as a shopper in `language` reads it: "7,5", "N½", "54", "14号".

    `named` adds the scale ("US 7", "EU 54") where the size stands beside another one. Japanese
    and Chinese sizes carry their 号 where the language writes it, else the scale's name.
    """
    language = language or settings.LANGUAGE_CODE
    number = _number(size.size, language)
    with translation.override(language):
        if size.scale in (Scale.JP, Scale.CN):
            if not named and language in ("ja", "zh-hans"):
                # Translators: a Japanese or Chinese ring size, "14号".
                return pgettext("ring size", "%(size)s号") % {"size": number}
            if size.scale == Scale.JP:
                # Translators: a Japanese ring size, "JP 14".
                return pgettext("ring size", "JP %(size)s") % {"size": number}
            # Translators: a Chinese ring size, "CN 14".
            return pgettext("ring size", "CN %(size)s") % {"size": number}
        if not named:
            return number
        if size.scale == Scale.US:
            # Translators: a US ring size, "US 7".
            return pgettext("ring size", "US %(size)s") % {"size": number}
        if size.scale == Scale.UK:
            # Translators: a UK ring size, "UK N½".
            return pgettext("ring size", "UK %(size)s") % {"size": number}
        # Translators: a European (ISO 8653) ring size, "EU 54".
        return pgettext("ring size", "EU %(size)s") % {"size": number}


def display(stored: str, *, scale: str, language: str) -> str | None:
    """A stored size as the shopper reads it in `scale`: "54 (US 7)", the shopper's size first
    and the catalog's in brackets (what the store will send). None when the scale is the
    stored one or the size cannot be read or converted: the caller shows it as it always did.
    """
    size = parse(stored)
    if size is None or size.scale == scale:
        return None
    shown = convert(size, scale)
    if shown is None:
        return None
    with translation.override(language or settings.LANGUAGE_CODE):
        # Translators: a ring size in the shopper's scale, then the size the catalog gives it,
        # "54 (US 7)".
        return _("%(shopper)s (%(stored)s)") % {
            "shopper": size_text(shown, language),
            "stored": size_text(size, language, named=True),
        }


# --- the size guide ----------------------------------------------------------------------------
@dataclass(frozen=True)
class GuideRow:
    circumference: float
    diameter: float
    cells: tuple[str, ...]  # one per scale, in Scale order; "" where the scale has no size


def guide_rows(language: str) -> list[GuideRow]:
    """The conversion table: one row per US size 3 to 13 (wholes and halves), every scale's
    nearest size beside it."""
    rows = []
    for us in GUIDE_US_SIZES:
        size = RingSize(Scale.US, us, _BY_SIZE[Scale.US][us])
        cells = []
        for scale in Scale:
            other = convert(size, scale)
            cells.append(_number(other.size, language) if other else "")
        rows.append(GuideRow(size.circumference, size.diameter, tuple(cells)))
    return rows
