"""A small language detector for the store's languages (no library needed).

A kernel text helper: reviews detects a review's language as it saves it, ai its training
texts' (it was ai.sentiment.language; catalog must not import ai for it).

Scripts decide for Japanese (kana), Chinese (Han without kana) and Arabic; for Latin-script
text, counts of frequent function words decide between English, French, German and Spanish
(accented letters break ties). Returns a code of settings.LANGUAGES, or "" when it cannot tell.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = {
    "en": _words(
        "all and are as at be but did does for from had have i is it just me my not of on one "
        "so that the they this to too very was we were will with would you"
    ),
    "fr": _words(
        "au aux avec avoir bien ce cette dans des du elle est et il je la le les ma mais mes "
        "mon ne nous pas pour que qui sa son sur trop très un une vous été être"
    ),
    "de": _words(
        "aber auch auf bei das dem den der die ein eine es für gut habe hat ich ist kein keine "
        "mit nach nicht noch nur schon sehr sich sind und war wie wurde zu"
    ),
    "es": _words(
        "al bien como con del el es esta este está fue hay la las lo los mi muy más no para "
        "pero por que se son su tiene todo un una y ya yo"
    ),
}
ACCENTS = {
    "fr": set("éèêàùçœëîïôû"),
    "de": set("äöüß"),
    "es": set("ñáíóú¿¡"),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _count_script(text: str) -> dict[str, int]:
    counts = {"kana": 0, "han": 0, "arabic": 0, "hangul": 0, "latin": 0}
    for char in text:
        code = ord(char)
        if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
            counts["kana"] += 1
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
            counts["han"] += 1
        elif 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
            counts["arabic"] += 1
        elif 0xAC00 <= code <= 0xD7AF:
            counts["hangul"] += 1
        elif char.isalpha() and code < 0x250:
            counts["latin"] += 1
    return counts


def detect_language(text: str) -> str:
    """The language of `text` among the store's: en, fr, de, es, zh-hans, ja, ar ("" unknown)."""
    text = (text or "").strip()
    if not text:
        return ""
    scripts = _count_script(text)
    letters = sum(scripts.values()) or 1
    if scripts["kana"] and scripts["kana"] / letters >= 0.05:
        return "ja"
    if scripts["han"] and (scripts["han"] + scripts["kana"]) / letters >= 0.3:
        return "zh-hans"
    if scripts["arabic"] / letters >= 0.3:
        return "ar"
    if not scripts["latin"]:
        return ""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    scores = dict.fromkeys(STOP_WORDS, 0.0)
    for word in words:
        for language, stop_words in STOP_WORDS.items():
            if word in stop_words:
                scores[language] += 1
    for language, accents in ACCENTS.items():
        scores[language] += 0.5 * sum(1 for char in lowered if char in accents)
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        return ""
    return best
