"""Reads of store pages and FAQ entries, in the shopper's language with the English fallback.

`search_help` is the help centre's keyword search: plain matching in Python over the few dozen
published texts (a store has pages and FAQ entries by the dozen, not by the thousand), folded so
that case and accents do not matter ("Rückgabe" finds "ruckgabe", "envío" finds "envio"). The
assistant's retrieval by meaning belongs to `ai` and reads these texts through this module.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import translation
from django.utils.html import strip_tags

from shop.events import after_commit
from shop.language import content_language

from .models import FaqEntry, FaqTopic, StorePage

# Longer queries are cut here: a help search is a few words, and every extra character is work.
MAX_QUERY_LENGTH = 100
MAX_TERMS = 10
MAX_RESULTS = 20
# A write clears the footer cache of the process that made it (and every process when CACHE_URL
# points at a shared cache); with the default per-process cache, other web processes catch up
# within this many seconds, as the catalog's listing counts do (SHOP_LISTING_CACHE_SECONDS).
FOOTER_CACHE_SECONDS = 300

# Japanese voicing marks are part of the letter (カ and ガ differ); every other combining mark
# (Latin accents, Arabic vowel signs and hamza) is dropped when folding.
_KEEP_MARKS = {"\u3099", "\u309a"}
_WORD = re.compile(r"\w+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KATAKANA = re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]+")
_HIRAGANA = re.compile(r"^[\u3040-\u309f]+$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def _footer_key(language: str) -> str:
    return f"content:footer:{language}"


def _forget_footer() -> None:
    cache.delete_many([_footer_key(code) for code, _name in settings.LANGUAGES])


def content_changed(**_signal_kwargs) -> None:
    """Signal receiver: a page or its translation changed; the cached footer lists are stale.

    Forgotten now and again after commit, so a request that read the old rows in between does
    not keep them cached."""
    _forget_footer()
    after_commit(_forget_footer)


# --- pages -------------------------------------------------------------------------------------
def _in_language(objects: Iterable, language: str) -> list:
    objects = list(objects)
    for obj in objects:
        obj.set_current_language(language)
    return objects


def published_pages(*, language: str | None = None) -> list[StorePage]:
    """Published pages in order, their translations loaded (two queries)."""
    language = content_language(language)
    pages = StorePage.objects.filter(is_published=True).prefetch_related("translations")
    return _in_language(pages, language)


def published_page(*, slug: str, language: str | None = None) -> StorePage | None:
    language = content_language(language)
    page = (
        StorePage.objects.filter(is_published=True, slug=slug)
        .prefetch_related("translations")
        .first()
    )
    if page is not None:
        page.set_current_language(language)
    return page


def footer_pages(*, language: str | None = None) -> list[dict[str, str]]:
    """[{"slug", "title"}] of the published pages, for the footer of every page.

    One query, cached per language until a page changes (the footer is on every page)."""
    language = content_language(language)
    key = _footer_key(language)
    cached = cache.get(key)
    if cached is not None:
        return cached
    translation_model = StorePage._parler_meta.root_model
    rows = translation_model.objects.filter(master__is_published=True).values_list(
        "master__slug", "master__position", "language_code", "title"
    )
    titles: dict[tuple[int, str], dict[str, str]] = {}
    for slug, position, code, title in rows:
        titles.setdefault((position, slug), {})[code] = title
    links = []
    for (_position, slug), by_language in sorted(titles.items()):
        title = (
            by_language.get(language)
            or by_language.get(settings.LANGUAGE_CODE)
            or next(iter(by_language.values()))
        )
        links.append({"slug": slug, "title": title})
    cache.set(key, links, FOOTER_CACHE_SECONDS)
    return links


def footer_pages_or_none(*, language: str | None = None) -> list[dict[str, str]]:
    """footer_pages(), or [] when the database cannot answer (an error page must still render)."""
    try:
        return footer_pages(language=language)
    except DatabaseError:
        return []


# --- FAQ ---------------------------------------------------------------------------------------
def published_faq(*, language: str | None = None) -> list[FaqEntry]:
    """Published FAQ entries in topic order, then by position (two queries)."""
    language = content_language(language)
    entries = FaqEntry.objects.filter(is_published=True).prefetch_related("translations")
    order = {value: index for index, value in enumerate(FaqTopic.values)}
    entries = sorted(entries, key=lambda e: (order.get(e.topic, len(order)), e.position, e.pk))
    return _in_language(entries, language)


def faq_for_page(*, page: StorePage, language: str | None = None) -> list[FaqEntry]:
    """The published FAQ entries linked to a page (two queries)."""
    language = content_language(language)
    entries = FaqEntry.objects.filter(is_published=True, page=page).prefetch_related("translations")
    return _in_language(entries, language)


@dataclass
class FaqGroup:
    topic: str
    label: str
    entries: list[FaqEntry] = field(default_factory=list)


def group_by_topic(entries: Iterable[FaqEntry]) -> list[FaqGroup]:
    labels = dict(FaqTopic.choices)
    groups: dict[str, FaqGroup] = {}
    for entry in entries:
        group = groups.get(entry.topic)
        if group is None:
            label = str(labels.get(entry.topic, entry.topic))
            group = groups[entry.topic] = FaqGroup(topic=entry.topic, label=label)
        group.entries.append(entry)
    return list(groups.values())


def faq_by_topic(*, language: str | None = None, topic: str | None = None) -> list[FaqGroup]:
    """The published FAQ as groups, one per topic that has entries (optionally one topic)."""
    entries = published_faq(language=language)
    if topic:
        entries = [entry for entry in entries if entry.topic == topic]
    return group_by_topic(entries)


# --- search ------------------------------------------------------------------------------------
def fold(text: str) -> str:
    """Text for matching: no markup, no case, no accents (but Japanese voicing kept)."""
    text = html.unescape(strip_tags(text or ""))
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        char for char in decomposed if char in _KEEP_MARKS or unicodedata.category(char) != "Mn"
    )
    return unicodedata.normalize("NFC", kept).casefold()


# Words of a question that say nothing about its subject ("how do I ...", "comment puis-je ...",
# "如何 ..."), folded. Dropped from a query that has other words; rarity weighting (below) takes
# care of the rest.
STOP_WORDS = frozenset(
    """
    a an the i me my is are am do does did can could will would should how what when where which
    who why to of for in on at it with about your you we our
    comment quel quelle quels quelles quand ou que qui quoi est ce je mon ma mes le la les un une
    des de du pour puis peut faut il vous votre vos nous
    wie was wann wo welche welcher welches warum ich mein meine meinen der die das den dem des
    ein eine einen ist sind kann konnen muss zu und fur mit bei sie ihr ihre
    como que cual cuales cuando donde quien por para mi mis el la los las un una unos unas de del
    puedo puede es son se lo le al y tu su sus
    كيف ماذا متى اين هل ما من في على الى عن انا لي هذا هذه
    如何 怎么 怎样 什么 哪些 哪里 可以 是否 请问 我的 我们
    """.split()  # noqa: SIM905 - one line per language reads better than a list
)


def _split_cjk(token: str) -> list[str]:
    """Terms of a run of Chinese or Japanese text, which has no spaces between words.

    Katakana words are kept whole; hiragana (mostly grammar in Japanese) is dropped unless the
    token is nothing else; runs of Chinese characters longer than two become overlapping pairs
    (most words are two characters), so "如何退货" finds a text that says "退货"."""
    if _HIRAGANA.match(token):
        return [token]
    terms = _KATAKANA.findall(token)
    for run in _HAN.findall(token):
        if len(run) <= 2:
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return terms


def search_terms(query: str) -> list[str]:
    """The folded terms of a query, at most MAX_TERMS, without repeats."""
    folded = fold(str(query or "")[:MAX_QUERY_LENGTH])
    terms: list[str] = []
    for token in _WORD.findall(folded):
        if _CJK.search(token):
            candidates = _split_cjk(token)
        elif len(token) >= 2:
            # The Arabic article: "الشحن" should find "شحن".
            if token.startswith("ال") and len(token) > 4:
                token = token[2:]
            candidates = [token]
        else:
            candidates = []
        for term in candidates:
            if term not in terms:
                terms.append(term)
    meaningful = [term for term in terms if term not in STOP_WORDS]
    return (meaningful or terms)[:MAX_TERMS]


@dataclass(frozen=True)
class HelpResults:
    query: str
    pages: list[StorePage]
    faqs: list[FaqEntry]

    @property
    def empty(self) -> bool:
        return not self.pages and not self.faqs


def _idf(terms: list[str], documents: list[list[tuple[str, int]]]) -> dict[str, float | None]:
    """How telling each term is in these texts: rare words weigh more than "the" or "die";
    None for a term no text contains."""
    count = len(documents)
    weights: dict[str, float | None] = {}
    for term in terms:
        df = sum(1 for fields in documents if any(term in text for text, _w in fields))
        weights[term] = math.log(1 + (count - df + 0.5) / (df + 0.5)) if df else None
    return weights


def _score(
    terms: list[str], idf: dict[str, float | None], fields: list[tuple[str, int]]
) -> float | None:
    """The text's score for the query (matched terms' rarity times where they matched: title
    or question over summary over body), or None when too little of the query matches.

    Only terms found in some text count (a typo or a word no text uses neither helps nor
    blocks). A query of one or two such words must match them all; a longer one (a sentence
    such as "how long does delivery take") at least half of their weight, so its small words
    neither decide nor prevent a match."""
    known = [term for term in terms if idf[term] is not None]
    score = matched_weight = 0.0
    matched = 0
    for term in known:
        best = max((w for text, w in fields if term in text), default=0)
        if best:
            matched += 1
            matched_weight += idf[term]
            score += (idf[term] + 0.01) * best
    if not matched:
        return None
    if len(known) <= 2:
        return score if matched == len(known) else None
    total = sum(idf[term] for term in known)
    return score if matched_weight >= 0.5 * total else None


def _page_fields(page: StorePage, language: str) -> list[tuple[str, int]]:
    def get(name: str) -> str:
        return page.safe_translation_getter(name, default="", language_code=language) or ""

    return [(fold(get("title")), 3), (fold(get("summary")), 2), (fold(get("body")), 1)]


def _faq_fields(entry: FaqEntry, language: str) -> list[tuple[str, int]]:
    def get(name: str) -> str:
        return entry.safe_translation_getter(name, default="", language_code=language) or ""

    return [(fold(get("question")), 3), (fold(get("answer")), 1)]


def _rank(terms: list[str], language: str, pages: list, entries: list) -> tuple[list, list]:
    documents = [(page, _page_fields(page, language)) for page in pages]
    documents += [(entry, _faq_fields(entry, language)) for entry in entries]
    idf = _idf(terms, [fields for _obj, fields in documents])
    scored = []
    for obj, fields in documents:
        score = _score(terms, idf, fields)
        if score is not None:
            scored.append(((-score, obj.position, obj.pk), obj))
    scored.sort(key=lambda pair: pair[0])
    found_pages = [obj for _key, obj in scored if isinstance(obj, StorePage)]
    found_faqs = [obj for _key, obj in scored if isinstance(obj, FaqEntry)]
    return found_pages[:MAX_RESULTS], found_faqs[:MAX_RESULTS]


def search_help(query: str, language: str | None = None) -> HelpResults:
    """Published pages and FAQ entries matching `query`, best first (four queries).

    Matched in the shopper's language (each text falling back to English where it has no
    translation); when nothing matches there, in English, so an English word still helps."""
    language = content_language(language)
    query = " ".join(str(query or "").split())[:MAX_QUERY_LENGTH]
    terms = search_terms(query)
    if not terms:
        return HelpResults(query=query, pages=[], faqs=[])
    pages = published_pages(language=language)
    entries = published_faq(language=language)
    found_pages, found_faqs = _rank(terms, language, pages, entries)
    if not found_pages and not found_faqs and language != settings.LANGUAGE_CODE:
        found_pages, found_faqs = _rank(terms, settings.LANGUAGE_CODE, pages, entries)
    return HelpResults(query=query, pages=found_pages, faqs=found_faqs)


# --- for retrieval (the shop assistant) -------------------------------------------------------
@dataclass(frozen=True)
class HelpDocument:
    """One published page or FAQ entry as plain text, for retrieval by meaning in `ai`."""

    key: str  # "page:<id>" or "faq:<id>": stable across languages
    kind: str  # "page" or "faq"
    topic: str  # the page's kind or the entry's topic (PageKind / FaqTopic values)
    language: str  # the language the text is written in (the asked one, else English)
    title: str  # the page's title or the entry's question
    text: str  # the summary and body, or the answer, without markup
    url: str


_TAG = re.compile(r"<[^>]+>")


def plain_text(html_text: str) -> str:
    """Rich text as words: tags become spaces (table cells stay apart), entities decoded."""
    return " ".join(html.unescape(_TAG.sub(" ", html_text or "")).split())


def _text_language(obj, language: str) -> str:
    available = {translation.language_code for translation in obj.translations.all()}
    return language if language in available else settings.LANGUAGE_CODE


def help_documents(*, language: str | None = None) -> list[HelpDocument]:
    """Every published page and FAQ entry in `language` (English where a text has no
    translation), as plain text; four queries whatever their number."""
    language = content_language(language)
    with translation.override(language):
        return _help_documents(language)


def _help_documents(language: str) -> list[HelpDocument]:
    documents = []
    for page in published_pages(language=language):
        documents.append(
            HelpDocument(
                key=f"page:{page.pk}",
                kind="page",
                topic=page.kind,
                language=_text_language(page, language),
                title=page.safe_translation_getter("title", default="") or page.slug,
                text=plain_text(
                    " ".join(
                        [
                            page.safe_translation_getter("summary", default="") or "",
                            page.safe_translation_getter("body", default="") or "",
                        ]
                    )
                ),
                url=page.get_absolute_url(),
            )
        )
    for entry in published_faq(language=language):
        documents.append(
            HelpDocument(
                key=f"faq:{entry.pk}",
                kind="faq",
                topic=entry.topic,
                language=_text_language(entry, language),
                title=entry.safe_translation_getter("question", default="") or "",
                text=plain_text(entry.safe_translation_getter("answer", default="") or ""),
                url=entry.get_absolute_url(),
            )
        )
    return documents
