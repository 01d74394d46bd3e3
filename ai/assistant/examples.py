"""Training and evaluation examples: the shipped files and the merchant's own rows.

Shipped data: ai/assistant/data/{train,eval}/<language>.jsonl, one JSON object a line,
{"text": ..., "intent": ...}; eval is written apart from train and never trained on. The
merchant adds examples in the admin or relabels a misunderstood chat message
(`intent_example_add`, the facade's assistant_add_training_example); the next training uses the
shipped train files plus every active IntentExample row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .intents import INTENTS, LANGUAGES

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str
    source: str = "shipped"


class DataFileError(ValueError):
    """A line of an examples file cannot be read; the message names the file and the line."""


def parse_line(line: str, *, number: int, name: str, require_intent: bool = True) -> dict | None:
    """One JSONL line as {"text", "intent"?, "language"?}; None for a blank line.

    Raises DataFileError ("<name>, line <number>: ...") for anything else than an object with a
    non-empty string `text`, a known `intent` (required when `require_intent`) and a known
    `language` when one is given.
    """
    stripped = line.strip()
    if not stripped:
        return None
    where = f"{name}, line {number}"
    try:
        row = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{where}: not valid JSON ({exc.msg}).") from None
    if not isinstance(row, dict):
        raise DataFileError(f'{where}: expected a JSON object with a "text" field.')
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DataFileError(f'{where}: "text" must be a non-empty string.')
    out = {"text": text}
    intent = row.get("intent")
    if intent is not None or require_intent:
        if not isinstance(intent, str) or intent not in INTENTS:
            raise DataFileError(
                f"{where}: unknown intent {intent!r}; expected one of: {', '.join(INTENTS)}."
            )
        out["intent"] = intent
    language = row.get("language")
    if language not in (None, ""):
        if not isinstance(language, str) or language not in LANGUAGES:
            raise DataFileError(
                f"{where}: unknown language {language!r}; expected one of: {', '.join(LANGUAGES)}."
            )
        out["language"] = language
    return out


def read_examples(path: Path, *, language: str) -> list[Example]:
    """The examples of one shipped file (all of them labelled)."""
    examples = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            row = parse_line(line, number=number, name=str(path))
            if row is not None:
                examples.append(
                    Example(
                        text=row["text"],
                        intent=row["intent"],
                        language=row.get("language", language),
                    )
                )
    return examples


def data_files(split: str, *, data_dir: Path | None = None) -> list[tuple[str, Path]]:
    """(language, path) of the shipped files of `split` ("train" or "eval") that exist."""
    folder = (data_dir or DATA_DIR) / split
    return [
        (language, folder / f"{language}.jsonl")
        for language in LANGUAGES
        if (folder / f"{language}.jsonl").is_file()
    ]


def shipped_examples(
    split: str, *, languages: Iterable[str] | None = None, data_dir: Path | None = None
) -> list[Example]:
    wanted = set(languages) if languages is not None else None
    examples: list[Example] = []
    for language, path in data_files(split, data_dir=data_dir):
        if wanted is None or language in wanted:
            examples.extend(read_examples(path, language=language))
    return examples


def data_hash(split: str = "train", *, data_dir: Path | None = None) -> str:
    """A digest of the shipped files of `split` (names and contents): a change retrains."""
    digest = hashlib.sha256()
    for language, path in data_files(split, data_dir=data_dir):
        digest.update(language.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def merchant_examples() -> list[Example]:
    """The active IntentExample rows (the merchant's and relabelled conversation messages)."""
    from ai.models import IntentExample

    return [
        Example(text=text, intent=intent, language=language, source=source)
        for text, intent, language, source in IntentExample.objects.filter(
            is_active=True
        ).values_list("text", "intent", "language", "source")
    ]


def training_examples(*, include_merchant: bool = True) -> list[Example]:
    """What a training fits on: the shipped train files plus the merchant's active examples."""
    examples = shipped_examples("train")
    if include_merchant:
        examples.extend(merchant_examples())
    return examples


def intent_example_add(
    *,
    text: str,
    intent: str,
    language: str,
    source: str = "merchant",
    user=None,
):
    """Stores an example for the next training (an IntentExample row); returns it.

    Raises django.core.exceptions.ValidationError for an empty text, an unknown intent,
    language or source. Adding the same text with the same intent again returns the row already
    there (made active again) instead of a duplicate; rows of the same text with another intent
    are deactivated (relabelling a misunderstood message replaces its earlier label).
    """
    from django.db import transaction

    from ai.models import IntentExample

    example = IntentExample(
        text=(text or "").strip(),
        intent=intent,
        language=language,
        source=source,
        created_by=user,
    )
    example.full_clean()
    with transaction.atomic():
        same_text = IntentExample.objects.select_for_update().filter(
            text=example.text, language=example.language
        )
        # A relabelled message: the merchant's latest word wins over an earlier label.
        same_text.filter(is_active=True).exclude(intent=intent).update(is_active=False)
        existing = same_text.filter(intent=intent).order_by("-is_active", "pk").first()
        if existing is not None:
            if not existing.is_active:
                existing.is_active = True
                existing.save(update_fields=["is_active"])
            return existing
        example.save()
    return example
