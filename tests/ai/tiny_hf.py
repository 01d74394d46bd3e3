"""A tiny BERT written to a folder, as a Hugging Face model a store would configure by path.

2 layers, 32 wide, a WordPiece vocabulary of a few hundred tokens made from the test reviews
(their words, and every character alone and as a "##" continuation, so nothing is [UNK]), a
fast tokenizer saved with it. Built from a seed in a blink, with no network: the fine-tuning
backend's Hugging Face path (AI_SENTIMENT_FINETUNE_MODEL) is tested on it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
HIDDEN = 32


def _plain(text: str) -> str:
    """As BERT's normaliser reads it: lower case, accents stripped."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def tiny_vocabulary(texts: Iterable[str]) -> list[str]:
    plain = [_plain(text) for text in texts]
    characters = sorted({char for text in plain for char in text if not char.isspace()})
    characters = sorted(set(characters) | set("abcdefghijklmnopqrstuvwxyz0123456789.,!?'"))
    words = sorted({word for text in plain for word in re.findall(r"[a-z]+", text)})
    vocabulary = SPECIALS + characters + [f"##{char}" for char in characters]
    return vocabulary + [word for word in words if word not in vocabulary]


def build_tiny_bert(folder: Path, texts: Iterable[str], *, seed: int = 3) -> Path:
    """Writes the model (config.json, weights) and its fast tokenizer to `folder`."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    vocabulary = tiny_vocabulary(texts)
    (folder / "vocab.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab=str(folder / "vocab.txt"), model_max_length=128)
    assert tokenizer.vocab_size == len(vocabulary)  # the file was read, not ignored
    torch.manual_seed(seed)
    model = BertModel(
        BertConfig(
            vocab_size=len(vocabulary),
            hidden_size=HIDDEN,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=64,
            max_position_embeddings=128,
            pad_token_id=0,
        )
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
