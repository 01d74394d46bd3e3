"""Query understanding for jewelry, in the store's seven languages.

parse_query("18k rose gold sapphire ring under 500", language="en", snapshot=...) finds:

- metals (yellow/white/rose gold, any gold, platinum, silver) and purities (18K, 925, "18
  carats", "18金", "عيار 18"),
- gemstones, categories (with their sub-categories), colours (a boost, not a filter),
- price limits: "under 500", "moins de 500 €", "unter 500", "menos de 500", "500円以下",
  "500元以下", "أقل من 500", ranges ("between 200 and 500", "200-500") and minimums.

Words are matched against the catalog's own names in every language (Category, Material,
GemstoneType translations) and the small tables of ai.search.lexicon; a word within one
typo (two for long words) of a known name still counts ("saphire", "neckalce").

A word of the built-in tables whose key the catalog does not have (German "Anhänger" is
"pendants"; a catalog with only "Necklace", "Bracelet", "Earrings" has no such category)
filters nothing: it becomes a `Hint` carrying the key's English words ("pendant"), which the
ranker adds to the lexical query so English-only product text still matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings

from . import lexicon
from .crosslingual import segment
from .lexical import STOPWORDS
from .snapshot import Snapshot, Term
from .text import FuzzyVocabulary, cjk_grams, is_cjk, normalise, stem, tokens, words

MAX_PHRASE_WORDS = 4


@dataclass
class Recognised:
    """Something the query asked for, shown to the shopper as a removable chip."""

    kind: str  # metal, gemstone, category, purity, price, colour
    key: str  # "metal:rose-gold", "price", ... (what `ignore` takes to drop it)
    label: str
    phrase: str  # the words of the query it came from
    ids: frozenset = frozenset()
    corrected: bool = False

    def as_dict(self) -> dict:
        return {"kind": self.kind, "key": self.key, "label": self.label, "phrase": self.phrase}


@dataclass(frozen=True)
class Hint:
    """A built-in word whose category, metal or gemstone the catalog lacks: searched in the
    product text through the key's English words instead of filtering."""

    kind: str  # category, metal, gemstone
    key: str  # "category:pendants"
    phrase: str  # the words of the query it came from
    terms: tuple[str, ...]  # the query's own index terms for the phrase (stems, CJK bigrams)
    english: tuple[str, ...]  # index terms of the key's English words ("pendant")


@dataclass
class ParsedQuery:
    original: str
    text: str  # the query without its price phrases (what the ranker reads)
    language: str
    recognised: list[Recognised] = field(default_factory=list)
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    price_currency: str | None = None  # the currency written in the query, if any
    corrected_words: dict[str, str] = field(default_factory=dict)  # word -> shown correction
    hints: list[Hint] = field(default_factory=list)  # built-in words the catalog has no key for
    # Words no table knows (CJK runs cut into words): ai.search.crosslingual may find the
    # catalog's word for them.
    unknown: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Recognised]:
        return [item for item in self.recognised if item.kind == kind]


# --- prices ------------------------------------------------------------------------------------
_NUMBER = r"(\d+(?:[.,\s]\d{3})*(?:[.,]\d{1,2})?)\s*(万)?"
_CURRENCY = (
    r"(\$|us\$|usd|dollars?|dolares|dolar|€|eur|euros?|£|gbp|pounds?|livres?|¥|jpy|yen|円|"
    r"元|cny|rmb|人民币|aed|درهم|دولار|يورو)"
)
_MAX_BEFORE = (
    r"under|below|less than|cheaper than|up to|at most|max(?:imum)?|within|<=?|"
    r"moins de|moins cher que|jusqu.?a|au plus|pas plus de|"
    r"unter|bis zu|bis|hochstens|weniger als|maximal|"
    r"menos de|hasta|por debajo de|no mas de|como maximo|"
    r"低于|少于|不超过|不到|小于|"
    r"باقل من|اقل من|تحت|حتى|لا يزيد عن"
)
_MAX_AFTER = r"以下|以内|未満|まで|以下的|内"
_MIN_BEFORE = (
    r"over|above|more than|at least|from|>=?|"
    r"plus de|a partir de|au moins|des|"
    r"uber|ab|mehr als|mindestens|"
    r"mas de|desde|por encima de|"
    r"超过|高于|不低于|大于|"
    r"اكثر من|فوق|ابتداء من"
)
_MIN_AFTER = r"以上|起"
_AND = r"and|et|und|y|e|و|到|至|~|〜|-|–|to|a|bis"
_PRICE_PATTERNS = (
    (
        "range",
        re.compile(
            rf"(?:(?<![a-z])(?:between|entre|zwischen|بين|在))?\s*{_CURRENCY}?\s*{_NUMBER}\s*{_CURRENCY}?\s*"
            rf"(?:{_AND})\s*{_CURRENCY}?\s*{_NUMBER}\s*{_CURRENCY}?(?:\s*之间)?"
        ),
    ),
    (
        "max",
        re.compile(
            rf"(?<![a-z])(?:{_MAX_BEFORE})\s*{_CURRENCY}?\s*{_NUMBER}\s*{_CURRENCY}?(?:\s*(?:{_MAX_AFTER}))?"
        ),
    ),
    ("max", re.compile(rf"{_CURRENCY}?\s*{_NUMBER}\s*{_CURRENCY}?\s*(?:{_MAX_AFTER})")),
    ("min", re.compile(rf"(?<![a-z])(?:{_MIN_BEFORE})\s*{_CURRENCY}?\s*{_NUMBER}\s*{_CURRENCY}?")),
    ("min", re.compile(rf"{_CURRENCY}?\s*{_NUMBER}\s*{_CURRENCY}?\s*(?:{_MIN_AFTER})")),
)
_CURRENCY_CODES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "dolar": "USD",
    "dolares": "USD",
    "دولار": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "يورو": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "livre": "GBP",
    "livres": "GBP",
    "jpy": "JPY",
    "yen": "JPY",
    "円": "JPY",
    "元": "CNY",
    "cny": "CNY",
    "rmb": "CNY",
    "人民币": "CNY",
    "aed": "AED",
    "درهم": "AED",
}
# A purity written out: "18 carats", "18 karat", "18 quilates", "18金", "عيار 18".
_PURITY_PATTERNS = (
    re.compile(r"\b(9|10|14|18|22|24)\s*(?:k|kt|ct|carats?|karat|karaat|quilates|金)(?![a-z])"),
    re.compile(r"\bk\s*(10|14|18|24)\b"),
    re.compile(r"عيار\s*(9|10|14|18|22|24)"),
)


def _amount(number: str, multiplier: str | None) -> Decimal | None:
    text = re.sub(r"\s", "", number)
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text or "." in text:
        mark = "," if "," in text else "."
        head, _sep, tail = text.rpartition(mark)
        text = text.replace(mark, "") if len(tail) == 3 else head.replace(mark, "") + "." + tail
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if multiplier == "万":
        value *= 10000
    elif multiplier == "k":
        value *= 1000
    return value


def _currency(groups, language: str) -> str | None:
    for group in groups:
        if group:
            if group == "¥":
                return "CNY" if language == "zh-hans" else "JPY"
            return _CURRENCY_CODES.get(group)
    return None


def _find_prices(text: str, language: str, parsed: ParsedQuery) -> str:
    """Takes price phrases out of `text` (normalised) into `parsed`; returns the rest."""
    for kind, pattern in _PRICE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groups()
        if kind == "range":
            low = _amount(groups[1], groups[2])
            high = _amount(groups[5], groups[6])
            if low is None or high is None:
                continue
            if low > high:
                low, high = high, low
            parsed.price_min, parsed.price_max = low, high
            currency = _currency((groups[0], groups[3], groups[4], groups[7]), language)
        else:
            value = _amount(groups[1], groups[2])
            if value is None:
                continue
            if kind == "max":
                parsed.price_max = value
            else:
                parsed.price_min = value
            currency = _currency((groups[0], groups[3]), language)
        parsed.price_currency = currency or parsed.price_currency
        phrase = match.group().strip()
        parsed.recognised.append(Recognised(kind="price", key="price", label=phrase, phrase=phrase))
        text = text[: match.start()] + " " + text[match.end() :]
    return text


# --- vocabulary --------------------------------------------------------------------------------
@dataclass
class _Entry:
    kind: str
    key: str  # "metal:gold", "gemstone:diamond", "category:rings"
    ids: frozenset
    terms: tuple[Term, ...]
    english: tuple[str, ...] = ()  # a hint: the key's English index terms (no catalog object)


@dataclass
class _Tables:
    latin: dict[tuple[str, ...], _Entry]
    cjk: dict[str, _Entry]
    longest_cjk: int
    fuzzy: FuzzyVocabulary
    singles: dict[str, _Entry]
    # Built-in words whose key the catalog lacks (never shadowing a word that names something).
    hint_latin: dict[tuple[str, ...], _Entry] = field(default_factory=dict)
    hint_cjk: dict[str, _Entry] = field(default_factory=dict)
    hint_longest_cjk: int = 1
    # One-word names by their Snowball stem in the shopper's language ("فضية" and "فضي" are
    # both "فض"; "ذهبية" is "ذهب"): tried when the word itself names nothing.
    snowball: dict[str, _Entry] = field(default_factory=dict)


def _phrase_keys(phrase: str) -> tuple[tuple[str, ...] | None, list[str]]:
    """A name as a tuple of stemmed words (Latin, Arabic) and its CJK runs."""
    parts = words(phrase)
    latin = tuple(stem(word) for word, cjk in parts if not cjk)
    runs = [word for word, cjk in parts if cjk]
    if runs:
        return None, runs
    return (latin or None), []


def _resolve(kind: str, key: str, snapshot: Snapshot) -> list[Term]:
    if kind == "metal":
        if key in lexicon.METAL_GROUPS:
            found = {}
            for member in lexicon.METAL_GROUPS[key]:
                found.update({t.pk: t for t in _resolve("metal", member, snapshot)})
            found.update(
                {t.pk: t for t in snapshot.metal_terms.values() if key in t.slug.split("-")}
            )
            return list(found.values())
        return [
            term
            for term in snapshot.metal_terms.values()
            if term.slug == key or (key in ("silver", "platinum") and key in term.slug.split("-"))
        ]
    pool = snapshot.gemstone_terms if kind == "gemstone" else snapshot.categories
    return [term for term in pool.values() if term.slug == key]


def _english_terms(kind: str, key: str) -> tuple[str, ...]:
    """Index terms of the English words the built-in tables give a key: "pendants" ->
    ("pendant",); one-word names when there are any, else every word of the names."""
    table = {"metal": lexicon.METALS, "gemstone": lexicon.GEMSTONES}.get(kind, lexicon.CATEGORIES)
    phrases = [phrase for phrase, value in table.get("en", {}).items() if value == key]
    if not phrases and kind == "gemstone":
        phrases = [key.replace("-", " ")]  # gemstone keys are English words ("sapphire")
    single = [phrase for phrase in phrases if len(phrase.split()) == 1]
    found: list[str] = []
    for phrase in single or phrases:
        found.extend(tokens(phrase))
    return tuple(dict.fromkeys(found))


def _tables(snapshot: Snapshot, language: str) -> _Tables:
    tables = snapshot.memo.get(("query-tables", language))
    if tables is not None:
        return tables
    latin: dict[tuple[str, ...], _Entry] = {}
    cjk: dict[str, _Entry] = {}
    hint_latin: dict[tuple[str, ...], _Entry] = {}
    hint_cjk: dict[str, _Entry] = {}

    def add(phrase: str, entry: _Entry) -> None:
        key, runs = _phrase_keys(phrase)
        if key:
            latin[key] = entry
        for run in runs:
            cjk[run] = entry

    def add_hint(phrase: str, entry: _Entry) -> None:
        key, runs = _phrase_keys(phrase)
        if key:
            hint_latin[key] = entry
        for run in runs:
            hint_cjk[run] = entry

    # The catalog's own names, every language: one object each.
    for kind, terms in (
        ("category", snapshot.categories),
        ("metal", snapshot.metal_terms),
        ("gemstone", snapshot.gemstone_terms),
    ):
        for term in terms.values():
            entry = _Entry(kind, f"{kind}:{term.slug}", frozenset([term.pk]), (term,))
            for name in term.names.values():
                add(name, entry)
    # Built-in words: English and the shopper's language (the latter wins a conflict).
    for table_language in dict.fromkeys(["*", settings.LANGUAGE_CODE, language]):
        for kind, table in (
            ("metal", lexicon.METALS),
            ("gemstone", lexicon.GEMSTONES),
            ("category", lexicon.CATEGORIES),
        ):
            for phrase, key in table.get(table_language, {}).items():
                terms = _resolve(kind, key, snapshot)
                if terms:
                    entry = _Entry(
                        kind, f"{kind}:{key}", frozenset(t.pk for t in terms), tuple(terms)
                    )
                    add(phrase, entry)
                else:
                    english = _english_terms(kind, key)
                    if english:
                        add_hint(phrase, _Entry(kind, f"{kind}:{key}", frozenset(), (), english))
        for phrase, key in lexicon.COLOURS.get(table_language, {}).items():
            add(phrase, _Entry("colour", f"colour:{key}", frozenset(), ()))
    singles = {key[0]: entry for key, entry in latin.items() if len(key) == 1}
    tables = _Tables(
        latin=latin,
        cjk=cjk,
        longest_cjk=max((len(run) for run in cjk), default=1),
        fuzzy=FuzzyVocabulary(word for word in singles if len(word) >= 4),
        singles=singles,
        hint_latin={key: entry for key, entry in hint_latin.items() if key not in latin},
        hint_cjk={run: entry for run, entry in hint_cjk.items() if run not in cjk},
    )
    tables.hint_longest_cjk = max((len(run) for run in tables.hint_cjk), default=1)
    if snowball_stem("x", language) is not None:
        for key, entry in latin.items():
            if len(key) == 1:
                stemmed = snowball_stem(key[0], language)
                if stemmed and len(stemmed) >= 2:
                    tables.snowball.setdefault(stemmed, entry)
    snapshot.memo[("query-tables", language)] = tables
    return tables


# --- parsing -----------------------------------------------------------------------------------
def _label(entry: _Entry, language: str, phrase: str) -> str:
    if entry.kind == "colour":
        return phrase
    if len(entry.terms) == 1:
        return entry.terms[0].name(language)
    return phrase[:1].upper() + phrase[1:]


def _add(parsed: ParsedQuery, entry: _Entry, phrase: str, corrected: bool = False) -> None:
    for existing in parsed.recognised:
        if existing.key == entry.key:
            return
    parsed.recognised.append(
        Recognised(
            kind=entry.kind,
            key=entry.key,
            label=_label(entry, parsed.language, phrase),
            phrase=phrase,
            ids=entry.ids,
            corrected=corrected,
        )
    )


def _purities(text: str, parsed: ParsedQuery) -> str:
    for pattern in _PURITY_PATTERNS:
        for match in list(pattern.finditer(text)):
            value = f"{match.group(1)}K"
            _add_purity(parsed, value, match.group().strip())
        text = pattern.sub(" ", text)
    return text


def _add_purity(parsed: ParsedQuery, value: str, phrase: str) -> None:
    key = f"purity:{value}"
    if any(item.key == key for item in parsed.recognised):
        return
    label = {"925": "925 sterling", "950": "950 platinum", "999": "999 fine"}.get(value, value)
    parsed.recognised.append(
        Recognised(kind="purity", key=key, label=label, phrase=phrase, ids=frozenset([value]))
    )


def parse_query(query: str, *, language: str, snapshot: Snapshot) -> ParsedQuery:
    query = " ".join((query or "").split())
    parsed = ParsedQuery(original=query, text=query, language=language)
    normal = normalise(query)
    rest = _find_prices(normal, language, parsed)
    if any(item.kind == "price" for item in parsed.recognised):
        parsed.text = " ".join(rest.split())
    rest = _purities(rest, parsed)
    tables = _tables(snapshot, language)

    parts = words(rest)
    i = 0
    while i < len(parts):
        word, cjk = parts[i]
        if cjk:
            for span in _match_cjk(word, tables, parsed):
                parsed.unknown.extend(
                    piece
                    for piece in segment(span, language=language)
                    if piece not in tables.cjk and piece not in tables.hint_cjk
                )
            i += 1
            continue
        # The longest run of Latin/Arabic words that names something.
        matched = False
        run = []
        for j in range(i, min(len(parts), i + MAX_PHRASE_WORDS)):
            if parts[j][1]:
                break
            run.append(stem(parts[j][0]))
        for size in range(len(run), 0, -1):
            entry = tables.latin.get(tuple(run[:size]))
            if entry is not None:
                _add(parsed, entry, " ".join(word for word, _cjk in parts[i : i + size]))
                if size == 1:
                    _note_spelling(parsed, entry, word)
                i += size
                matched = True
                break
        if matched:
            continue
        if word in lexicon.PURITY_WORDS:
            _add_purity(parsed, lexicon.PURITY_WORDS[word], word)
            if word.startswith("pt"):
                entry = tables.latin.get((word,))
                if entry is not None:
                    _add(parsed, entry, word)
        elif _split_compound(word, tables, parsed):
            pass
        elif (stem(word),) in tables.hint_latin:
            pass  # a built-in word (see _find_hints), not a typo of another one
        elif (found := tables.snowball.get(snowball_stem(word, language) or "")) is not None:
            _add(parsed, found, word)
        elif (head := _known_tail(word, tables, parsed)) is not None:
            parsed.unknown.append(head)  # "Muschelkette": a necklace, and "muschel"
        else:
            near = tables.fuzzy.near(stem(word))
            if near:
                entry = tables.singles[near[0][0]]
                _add(parsed, entry, word, corrected=True)
                if entry.terms and entry.kind != "colour":
                    parsed.corrected_words[word] = entry.terms[0].name(language)
                if entry.kind == "colour":  # a guess ("verre" is not "vert"): look it up too
                    parsed.unknown.append(word)
            elif word not in STOPWORDS:
                parsed.unknown.append(word)
        i += 1
    _drop_generic_metals(parsed)
    _find_hints(parts, tables, parsed)
    return parsed


def _add_hint(parsed: ParsedQuery, entry: _Entry, phrase: str, terms: tuple[str, ...]) -> None:
    if any(item.key == entry.key for item in parsed.recognised):
        return
    for existing in parsed.hints:
        if existing.key == entry.key and existing.terms == terms:
            return
    hint = Hint(entry.kind, entry.key, phrase, terms, entry.english)
    parsed.hints.append(hint)


def _find_hints(parts: list[tuple[str, bool]], tables: _Tables, parsed: ParsedQuery) -> None:
    """Built-in words whose key the catalog lacks, longest phrase first (see Hint); a longer
    or equally long name of something the catalog has is passed over ("白金" is not "金")."""
    if not tables.hint_latin and not tables.hint_cjk:
        return
    i = 0
    while i < len(parts):
        word, cjk = parts[i]
        if cjk:
            j = 0
            longest = max(tables.longest_cjk, tables.hint_longest_cjk)
            while j < len(word):
                for size in range(min(longest, len(word) - j), 0, -1):
                    run = word[j : j + size]
                    if run in tables.cjk:
                        j += size
                        break
                    entry = tables.hint_cjk.get(run)
                    if entry is not None:
                        _add_hint(parsed, entry, run, tuple(cjk_grams(run)))
                        j += size
                        break
                else:
                    j += 1
            i += 1
            continue
        run = []
        for j in range(i, min(len(parts), i + MAX_PHRASE_WORDS)):
            if parts[j][1]:
                break
            run.append(stem(parts[j][0]))
        for size in range(len(run), 0, -1):
            if tuple(run[:size]) in tables.latin:
                i += size
                break
            entry = tables.hint_latin.get(tuple(run[:size]))
            if entry is not None:
                phrase = " ".join(part for part, _cjk in parts[i : i + size])
                _add_hint(parsed, entry, phrase, tuple(run[:size]))
                i += size
                break
        else:
            i += 1


def _note_spelling(parsed: ParsedQuery, entry: _Entry, word: str) -> None:
    """A word matched through another language's spelling ("saphire" is French "saphir"):
    offer the shopper's language's name as the correction."""
    if len(entry.terms) != 1 or entry.kind == "colour":
        return
    name = entry.terms[0].name(parsed.language)
    if stem(word) not in {stem(part) for part, _cjk in words(name)}:
        builtin = {
            table.get(parsed.language, {}).get(word)
            for table in (lexicon.METALS, lexicon.GEMSTONES, lexicon.CATEGORIES)
        }
        if builtin == {None}:
            parsed.corrected_words[word] = name


def _split_compound(word: str, tables: _Tables, parsed: ParsedQuery) -> bool:
    """German-style compounds of two known words: "Saphirring", "Perlenohrringe"."""
    if len(word) < 7 or not word.isalpha():
        return False

    def single(piece: str) -> _Entry | None:
        found = tables.singles.get(stem(piece))
        return found if found is not None else tables.hint_latin.get((stem(piece),))

    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        left = single(head)
        if left is None and head[-1] in "sn":  # a linking -s- or -n-
            left = single(head[:-1])
        right = single(tail)
        if left is not None and right is not None:
            for entry, piece in ((left, head), (right, tail)):
                if entry.english:  # searched through its English words, in the compound's slot
                    _add_hint(parsed, entry, piece, (stem(word),))
                else:
                    _add(parsed, entry, piece)
            return True
    return False


_SNOWBALL_LANGUAGES = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "ar": "arabic",
}
_stemmers: dict[str, object] = {}


def snowball_stem(word: str, language: str) -> str | None:
    """The Snowball stem of a normalised word in a language (None: no stemmer for it)."""
    name = _SNOWBALL_LANGUAGES.get(language)
    if name is None:
        return None
    stemmer = _stemmers.get(name)
    if stemmer is None:
        try:
            import snowballstemmer
        except ImportError:
            return None
        stemmer = _stemmers[name] = snowballstemmer.stemmer(name)
    if language == "ar" and word.endswith("ه"):
        word = word[:-1] + "ة"  # normalise() wrote teh marbuta as heh; Snowball wants it
    return stemmer.stemWord(word)


def _known_tail(word: str, tables: _Tables, parsed: ParsedQuery) -> str | None:
    """A German compound whose last part is a known word and whose head is not ("Muschelkette",
    "Quastenkette"; only German: English "offering" is no ring): adds the tail, returns the
    head for ai.search.crosslingual to look up; None when the word is no such compound."""
    if parsed.language != "de" or len(word) < 7 or not word.isalpha():
        return None
    for cut in range(3, len(word) - 3):
        head, tail = word[:cut], word[cut:]
        entry = tables.singles.get(stem(tail))
        if entry is None or entry.kind == "colour":
            continue
        _add(parsed, entry, tail)
        return head  # as typed: "glas" is glass, not "gla" + a linking -s-
    return None


def _match_cjk(run: str, tables: _Tables, parsed: ParsedQuery) -> list[str]:
    """Adds what the tables name in a CJK run; returns the parts they did not match."""
    unmatched: list[str] = []
    start = 0
    i = 0
    while i < len(run):
        for size in range(min(tables.longest_cjk, len(run) - i), 0, -1):
            entry = tables.cjk.get(run[i : i + size])
            if entry is not None:
                _add(parsed, entry, run[i : i + size])
                if start < i:
                    unmatched.append(run[start:i])
                i += size
                start = i
                break
        else:
            i += 1
    if start < len(run):
        unmatched.append(run[start:])
    return unmatched


def _drop_generic_metals(parsed: ParsedQuery) -> None:
    """ "18K白金" says white gold, not any gold: a specific metal beats a group holding it."""
    metals = parsed.of_kind("metal")
    for item in metals:
        if any(other is not item and other.ids < item.ids for other in metals):
            parsed.recognised.remove(item)


def has_cjk(text: str) -> bool:
    return any(is_cjk(char) for char in text)


# --- for callers holding no snapshot (the shop assistant's entities) ---------------------------
def parse_current(query: str, *, language: str) -> ParsedQuery:
    """parse_query against the catalog as the search sees it now: the same snapshot, keyed on
    the same embedder name as ranking.search, so both share one copy in the process."""
    from ai.embeddings import EmbeddingBackendError, get_embedder

    from .snapshot import current_or_stale

    try:
        backend = get_embedder().name
    except EmbeddingBackendError:
        backend = str(getattr(settings, "AI_EMBEDDING_BACKEND", ""))
    snapshot, _fresh = current_or_stale(backend=backend)
    return parse_query(query, language=language, snapshot=snapshot)


# Currency words that mean something else outside a price ("livré" is "delivered", "元" is in
# many Chinese words): a currency is read from them only next to an amount (_find_prices).
_AMBIGUOUS_CURRENCY = frozenset({"livre", "livres", "元"})
_CURRENCY_WORD = re.compile(rf"(?<![a-z]){_CURRENCY}(?![a-z])")


def currency_named(text: str, *, language: str) -> str | None:
    """The ISO code of a currency a text names without an amount ("can I pay in euros?",
    "円で払えますか"), or None; the text is normalised here."""
    for match in _CURRENCY_WORD.finditer(normalise(text or "")):
        word = match.group(1)
        if word not in _AMBIGUOUS_CURRENCY:
            return _currency((word,), language)
    return None
