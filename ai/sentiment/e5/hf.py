"""A Hugging Face encoder fine-tuned in e5's place (AI_SENTIMENT_FINETUNE_MODEL).

The fine-tuning backend trains the bundled multilingual-e5-small by default; a store that has a
model of its own (a local directory, or a Hugging Face id already in the local cache) names it
in FineTuneConfig.base_model and the same recipe trains it: `AutoModel` is the encoder (mean of
its last hidden state, the same two heads, loss, precision and checkpoints: classifier.py,
finetune.py) and `HFTokenizer` wraps its fast tokenizer in the interface E5Tokenizer gives the
fine-tuning and the scorer (ids with the model's own special tokens, character offsets for the
per-aspect spans, `normalize`, `pad`, `max_length`).

Nothing is ever downloaded: every load passes `local_files_only=True`, so a model that is not on
this machine fails at once with an OSError instead of waiting on the network (the job turns it
into a message naming the setting: backends.finetune_base_model).

The "query: " prefix is e5's training recipe, not a general one: a generic model reads the review
as it is (`prefix` ""), and the offsets are then into the text itself.
"""

from __future__ import annotations

from pathlib import Path

from .tokenizer import Encoded

# A tokenizer whose model_max_length is above this was saved without one (transformers puts
# a huge sentinel there); then only the config's max_length cuts.
_NO_LIMIT = 1_000_000


def resolve_name(name_or_path: str) -> str:
    """A local directory as an absolute path (the worker may run elsewhere); an id as given."""
    name = str(name_or_path).strip()
    path = Path(name).expanduser()
    return str(path.resolve()) if path.is_dir() else name


def load_tokenizer(name_or_path: str):
    """The model's fast tokenizer from the local disk or cache (OSError / ValueError if not)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(name_or_path, local_files_only=True)
    if not getattr(tokenizer, "is_fast", False):
        # The scorer pools each aspect's sentence by character offsets: only fast
        # (Rust `tokenizers`) tokenizers return them.
        raise ValueError(
            f"{name_or_path} has no fast tokenizer (tokenizer.json): character offsets are "
            "needed for the per-aspect scores."
        )
    return tokenizer


def load_encoder(name_or_path: str):
    """The base model's encoder (transformers.AutoModel), float32, from the local disk or cache."""
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(name_or_path, local_files_only=True, dtype=torch.float32)
    encoder.eval()
    return encoder


class HFTokenizer:
    """A fast Hugging Face tokenizer presenting E5Tokenizer's interface (no "query: " prefix)."""

    prefix = ""

    def __init__(self, name_or_path: str, *, max_length: int = 512, tokenizer=None):
        self.name_or_path = name_or_path
        self._tokenizer = tokenizer if tokenizer is not None else load_tokenizer(name_or_path)
        limit = getattr(self._tokenizer, "model_max_length", None) or _NO_LIMIT
        self.max_length = min(max_length, limit) if limit < _NO_LIMIT else max_length
        # Padding is masked out everywhere; a model without a pad token pads with any id.
        pad = self._tokenizer.pad_token_id
        if pad is None:
            pad = self._tokenizer.eos_token_id
        self.pad = int(pad) if pad is not None else 0

    def normalize(self, text: str) -> str:
        """The text itself: a fast tokenizer's offsets are into what it was given."""
        return str(text or "")

    def encode_batch(
        self, texts: list[str], *, prefix: str | None = None, normalized: bool = False
    ) -> list[Encoded]:
        """Token ids with the model's special tokens, truncated to max_length, with offsets."""
        prefix = self.prefix if prefix is None else prefix
        prepared = [prefix + self.normalize(text) for text in texts]
        if not prepared:
            return []
        encoded = self._tokenizer(
            prepared,
            add_special_tokens=True,
            truncation=True,
            max_length=self.max_length,
            return_offsets_mapping=True,
            return_attention_mask=False,
            return_token_type_ids=False,
        )
        return [
            Encoded(list(ids), [(int(start), int(end)) for start, end in offsets])
            for ids, offsets in zip(encoded["input_ids"], encoded["offset_mapping"], strict=True)
        ]

    def __call__(self, texts: list[str], *, prefix: str | None = None) -> list[list[int]]:
        return [encoded.ids for encoded in self.encode_batch(texts, prefix=prefix)]
