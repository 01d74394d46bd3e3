"""What a shopper's message means: language, intent (or out of scope), entities.

    understand("où est ma commande 1042 ?", language_hint="en")
    -> Understanding(intent="order_status", confidence=0.93, language="fr", ...)

The live chat, `manage.py evaluate_assistant` and the bench all go through `understand()`, so
what is measured is what shoppers get. The model is the active "assistant" ModelVersion's, or
the built-in one (backends.py); entities come from ai.assistant.entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shop.text_language import ACCENTS, STOP_WORDS, detect_language

from .intents import LANGUAGES, OUT_OF_SCOPE

if TYPE_CHECKING:  # imported when first used: understanding loads without the entities module
    from .entities import Entities

# Longer messages are cut before the model sees them (the meaning is in the first lines).
MAX_CHARS = 1000
# Latin-script messages of fewer words than this say too little to tell French from Spanish:
# they take the page's language (language_hint). Non-Latin scripts decide even for one word.
MIN_WORDS_TO_DETECT = 3
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]")


@dataclass(frozen=True)
class Understanding:
    intent: str  # "out_of_scope" when below the calibrated threshold
    confidence: float  # calibrated probability of the predicted intent (0..1)
    language: str  # detected; short/ambiguous text -> language_hint
    ranking: tuple[tuple[str, float], ...]  # top 3 (intent, probability) before the threshold
    entities: Entities
    low_confidence: bool  # True when the model was unsure (out_of_scope by threshold)


def normalise_language(code: str | None) -> str | None:
    """One of the store's language codes for `code` ("fr-FR" -> "fr", "zh" -> "zh-hans")."""
    if not code or not isinstance(code, str):
        return None
    code = code.strip().lower().replace("_", "-")
    if code in LANGUAGES:
        return code
    if code.startswith("zh"):
        return "zh-hans"
    base = code.split("-")[0]
    return base if base in LANGUAGES else None


def resolve_language(text: str, language_hint: str | None = None) -> str:
    """The language to answer in: detected from the text, or the hint when the text is short
    or undetected; the store's default language when there is neither."""
    from django.conf import settings

    hint = normalise_language(language_hint)
    fallback = hint or normalise_language(settings.LANGUAGE_CODE) or LANGUAGES[0]
    text = (text or "").strip()
    if not text:
        return fallback
    # Scripts decide whatever the length; Chinese characters alone may be Japanese kanji.
    if _KANA.search(text):
        return "ja"
    han, arabic = len(_HAN.findall(text)), len(_ARABIC.findall(text))
    latin_words = [word for word in _WORD.findall(text) if word.isascii() or _is_latin(word)]
    if arabic and arabic >= han and arabic >= sum(len(word) for word in latin_words):
        return "ar"
    if han and han >= sum(len(word) for word in latin_words) / 2:
        return "ja" if hint == "ja" else "zh-hans"
    if len(latin_words) < MIN_WORDS_TO_DETECT and hint is not None:
        return hint
    if hint in STOP_WORDS:
        # The kernel's detector scores function words and accents; a tie (Spanish and French
        # share "la", "que", "de"...) or no evidence goes to the page's language.
        scores = _latin_scores(text)
        if scores[hint] >= max(scores.values()):
            return hint
    detected = detect_language(text)
    return detected if detected in LANGUAGES else fallback


def _latin_scores(text: str) -> dict[str, float]:
    """shop.text_language's evidence per Latin-script language (function words, accents)."""
    lowered = text.lower()
    scores = dict.fromkeys(STOP_WORDS, 0.0)
    for word in _WORD.findall(lowered):
        for language, stop_words in STOP_WORDS.items():
            if word in stop_words:
                scores[language] += 1
    for language, accents in ACCENTS.items():
        scores[language] += 0.5 * sum(1 for char in lowered if char in accents)
    return scores


def _is_latin(word: str) -> bool:
    return all(ord(char) < 0x250 for char in word)


def _empty_entities():
    from .entities import Entities

    return Entities()


def extract(text: str, *, language: str, currency: str | None):
    from .entities import extract_entities

    return extract_entities(text, language=language, currency=currency)


def understand(
    text: str, *, language_hint: str | None = None, currency: str | None = None
) -> Understanding:
    """Language, intent and entities of one shopper message (see the module doc)."""
    from .backends import current_model

    text = str(text or "")
    language = resolve_language(text, language_hint)
    cleaned = text.strip()[:MAX_CHARS]
    if not cleaned:
        return Understanding(
            intent=OUT_OF_SCOPE,
            confidence=0.0,
            language=language,
            ranking=(),
            entities=_empty_entities(),
            low_confidence=True,
        )
    prediction = current_model().predict([cleaned])[0]
    return Understanding(
        intent=prediction.intent,
        confidence=prediction.confidence,
        language=language,
        ranking=prediction.ranking,
        entities=extract(cleaned, language=language, currency=currency),
        low_confidence=prediction.low_confidence,
    )
