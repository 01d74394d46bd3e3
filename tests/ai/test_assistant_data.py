"""The shop assistant's shipped intent examples (ai/assistant/data/{train,eval}/<lang>.jsonl).

The intent model is trained on `train` and measured on `eval`, per language, so a malformed
line, an unknown intent, too few examples of an intent or an eval line that is also a train
line would either break training or make the held-out figures lie. The checks run over
whatever language files exist, so each data helper's languages are covered by the same file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "ai" / "assistant" / "data"
SPLITS = ("train", "eval")
# The public contract (notes/ASSISTANT_CONTRACT.md, issue 14), in its order.
INTENTS = (
    "greeting",
    "goodbye",
    "thanks",
    "product_search",
    "product_question",
    "recommendation",
    "size_help",
    "care",
    "warranty_authenticity",
    "order_status",
    "order_cancel",
    "order_change",
    "return_refund",
    "shipping",
    "duties_taxes",
    "payment",
    "invoice",
    "account",
    "newsletter",
    "human_agent",
    "complaint",
    "out_of_scope",
)
LANGUAGES = ("en", "fr", "de", "es", "ja", "zh-hans", "ar")
MINIMUM = {"train": 30, "eval": 10}
# Out-of-scope detection is measured, so it needs more (and more varied) examples.
MINIMUM_OUT_OF_SCOPE = {"train": 60, "eval": 20}


def _files(split: str) -> list[Path]:
    return sorted((DATA / split).glob("*.jsonl"))


def _all_files() -> list[Path]:
    return [path for split in SPLITS for path in _files(split)]


def _fold(text: str) -> str:
    """Case- and whitespace-insensitive form: what counts as 'the same text'."""
    return " ".join(text.casefold().split())


def _rows(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path.name}:{number}: not JSON ({exc})")
        rows.append(row)
    return rows


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_there_is_data_for_every_split():
    for split in SPLITS:
        assert _files(split), f"no {split} files in {DATA / split}"


@pytest.mark.parametrize("path", _all_files(), ids=_id)
def test_lines_are_valid_examples(path):
    assert path.stem in LANGUAGES, f"{path.name}: not one of the store's languages {LANGUAGES}"
    rows = _rows(path)
    assert rows, f"{_id(path)} is empty"
    for number, row in enumerate(rows, start=1):
        assert isinstance(row, dict), f"{_id(path)}:{number}: not an object"
        assert set(row) == {"text", "intent"}, f"{_id(path)}:{number}: keys {sorted(row)}"
        assert isinstance(row["text"], str), f"{_id(path)}:{number}: text is not a string"
        assert row["text"].strip(), f"{_id(path)}:{number}: empty text"
        assert row["intent"] in INTENTS, f"{_id(path)}:{number}: unknown intent {row['intent']!r}"


@pytest.mark.parametrize("path", _all_files(), ids=_id)
def test_every_intent_has_enough_examples(path):
    split = path.parent.name
    counts = Counter(row["intent"] for row in _rows(path))
    short = {
        intent: counts[intent]
        for intent in INTENTS
        if counts[intent] < (MINIMUM_OUT_OF_SCOPE if intent == "out_of_scope" else MINIMUM)[split]
    }
    assert not short, f"{_id(path)}: too few examples for {short}"


@pytest.mark.parametrize("path", _files("eval"), ids=_id)
def test_eval_is_held_out_from_train(path):
    train = DATA / "train" / path.name
    assert train.exists(), f"{_id(path)} has no train file {train.name}"
    train_texts = {_fold(row["text"]) for row in _rows(train)}
    leaked = [row["text"] for row in _rows(path) if _fold(row["text"]) in train_texts]
    assert not leaked, f"{_id(path)}: {len(leaked)} eval texts are also train texts: {leaked[:5]}"


@pytest.mark.parametrize("path", _all_files(), ids=_id)
def test_no_text_is_labelled_twice(path):
    """A repeated text teaches nothing and, with two labels, contradicts itself."""
    seen: dict[str, str] = {}
    repeated = []
    for row in _rows(path):
        key = _fold(row["text"])
        if key in seen:
            repeated.append((row["text"], seen[key], row["intent"]))
        seen[key] = row["intent"]
    assert not repeated, f"{_id(path)}: repeated texts {repeated[:5]}"
