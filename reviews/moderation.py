"""Spam and abuse flags for reviews: links, repeated text, shouting, a small abuse word list.

A flagged review is held for the merchant (never published automatically) with the reasons.
The checks are cheap rules, not a model: they catch the common cases and say why.
"""

from __future__ import annotations

import re
from collections import Counter

from django.utils.translation import gettext as _

_LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|ru|cn|info|biz|xyz|top|io|shop)\b"
    r"|\S+@\S+\.\w{2,}",
    re.I,
)
_WORD = re.compile(r"\w+", re.UNICODE)


def _terms(text: str) -> list[str]:
    """Keywords written "a | b | c" (a keyword may contain spaces)."""
    return [term.strip() for term in text.split("|") if term.strip()]


# Insults and slurs that do not belong in a product review, in the store's languages. Matched as
# whole words (Latin and Arabic script) or substrings (Chinese, Japanese).
ABUSE_WORDS = {
    "en": _terms(
        "idiot | idiots | stupid | moron | fuck | fucking | shit | bitch | bastard | asshole "
        "| scammers | retard"
    ),
    "fr": _terms(
        "connard | connasse | putain | merde | salope | encule | enculé | abruti | escrocs"
    ),
    "de": _terms(
        "arschloch | scheiße | scheisse | idioten | hurensohn | wichser | betrüger | vollidiot"
    ),
    "es": _terms("idiota | idiotas | mierda | puta | cabrón | cabron | gilipollas | estafadores"),
    "zh-hans": _terms("傻逼 | 他妈的 | 混蛋 | 骗子 | 垃圾人"),
    "ja": _terms("バカ | 馬鹿 | 死ね | クソ | 詐欺師"),
    "ar": _terms("غبي | حقير | نصاب | لعنة"),
}


def _is_cjk(word: str) -> bool:
    return any(0x3040 <= ord(char) <= 0x9FFF for char in word)


_ABUSE_WORDS = {word.lower() for words in ABUSE_WORDS.values() for word in words}
_ABUSE_CJK = [word for word in _ABUSE_WORDS if _is_cjk(word)]
_ABUSE_PLAIN = _ABUSE_WORDS - set(_ABUSE_CJK)


def spam_reasons(*, title: str, text: str, recent_texts: list[str] | tuple = ()) -> list[str]:
    """The reasons to hold this review for the merchant (empty when it looks fine).

    `recent_texts`: the author's other recent review texts (the same text pasted on many
    products is spam).
    """
    reasons: list[str] = []
    combined = f"{title}\n{text}".strip()
    lowered = combined.lower()
    if _LINK.search(combined):
        reasons.append(_("contains a link or an e-mail address"))
    letters = [char for char in combined if char.isalpha() and char.lower() != char.upper()]
    if len(letters) >= 20:
        upper = sum(1 for char in letters if char.isupper())
        if upper / len(letters) > 0.7:
            reasons.append(_("written in capitals (shouting)"))
    words = _WORD.findall(lowered)
    if len(words) >= 8:
        counts = Counter(words)
        word, count = counts.most_common(1)[0]
        if count / len(words) > 0.4 and len(word) > 1:
            reasons.append(_("the same word repeated"))
    if re.search(r"(.)\1{9,}", combined):
        reasons.append(_("a character repeated many times"))
    normalised = " ".join(words)
    if normalised and any(
        " ".join(_WORD.findall(other.lower())) == normalised for other in recent_texts
    ):
        reasons.append(_("the same text as another review by this author"))
    if any(word in _ABUSE_PLAIN for word in words) or any(word in lowered for word in _ABUSE_CJK):
        reasons.append(_("abusive language"))
    return reasons
