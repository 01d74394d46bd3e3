"""Scoring reviews with a fine-tuned e5 classifier: label, score and aspects in one forward pass.

- Reviews are sorted by token count and run in batches of at most `batch_tokens` padded
  tokens, so short reviews are not padded to the length of long ones (bench/sentiment_speed.py:
  1.65 times as many reviews per second as batches in the order given, int8, same run).
  A review longer than `max_length` tokens is cut there (its last token stays </s>).
- `precision`: "float32"; "bfloat16" runs the encoder under torch's bfloat16 autocast (matrix
  products in bfloat16 on the processor's AMX / AVX512-BF16 units, layer norms and softmax in
  float32; the pooled vector and the two heads in float32); "int8" (or `quantize=True`) runs
  the encoder's linear layers with int8 dynamic quantisation (quantize_int8: weights int8 per
  output channel, activations quantised on the fly), heads float32. bench/sentiment_speed.py
  measures each one's speed and agreement with float32 in the same run; AI_SENTIMENT_PRECISION
  chooses for the store ("auto": bfloat16 where the CPU has it, shop.hardware).
- Aspects (aspects.py: keyword lists, sentence by sentence) are scored from the same hidden
  states as the review: a sentence that mentions an aspect is pooled over its own tokens of the
  review's pass and read by the same heads, so aspects cost no second pass of the encoder.
  A sentence cut off by `max_length` is encoded on its own (rare: reviews are short).
- torch threads: `threads` (phase B passes the worker's setting); the web process never
  builds a scorer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .classifier import (
    LABELS,
    DecisionRule,
    FineTuneConfig,
    build_tokenizer,
    model_from_saved,
    read_saved_model,
    resolve_model_file,
    three_class_probabilities,
)
from .tokenizer import Encoded


@dataclass
class _Mention:
    review: int
    aspects: list[str]
    span: tuple[int, int]  # characters in the prefixed, normalised text
    sentence: str


def sentence_spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Where each sentence (in order, as split_sentences returns them) sits in `text`."""
    spans, cursor = [], 0
    for sentence in sentences:
        start = text.find(sentence, cursor)
        if start < 0:
            start = text.find(sentence)
        if start < 0:
            spans.append((-1, -1))
            continue
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return spans


FLOAT32, BFLOAT16, INT8 = "float32", "bfloat16", "int8"
PRECISIONS = (FLOAT32, BFLOAT16, INT8)
INT8_PER_CHANNEL = "per-channel"
INT8_PER_TENSOR = "per-tensor"


def quantize_int8(model, *, scheme: str = INT8_PER_CHANNEL):
    """The classifier with its encoder's linear layers in int8 (dynamic quantisation), in place.

    Only the encoder: the two heads (3 and 5 outputs) stay float32, as every weight of them
    moves a probability directly. `scheme` "per-channel" gives each output row of a weight
    its own scale; "per-tensor" (torch's default, and what this scorer did before) one per
    weight. bench/sentiment_speed.py, 2026-12-07, a fine-tuned model on 300 held-out reviews:
    per-channel kept 93.7% of float32's labels and binary accuracy 0.925 against 0.929;
    per-tensor 89.3% and 0.912 (heads quantised or not); both about 1.9 times as many reviews per
    CPU-second as float32.
    """
    import torch
    from torch.ao.quantization import (
        default_dynamic_qconfig,
        per_channel_dynamic_qconfig,
        quantize_dynamic,
    )

    if scheme not in (INT8_PER_CHANNEL, INT8_PER_TENSOR):
        raise ValueError(f"Unknown int8 scheme {scheme!r}")
    qconfig = per_channel_dynamic_qconfig if scheme == INT8_PER_CHANNEL else default_dynamic_qconfig
    model.encoder = quantize_dynamic(model.encoder, {torch.nn.Linear: qconfig}, dtype=torch.qint8)
    return model


def _cut(encoded: Encoded, max_length: int) -> Encoded:
    """A review's tokens cut to `max_length` (its last token stays </s>)."""
    if len(encoded.ids) <= max_length:
        return encoded
    return Encoded(
        encoded.ids[: max_length - 1] + encoded.ids[-1:],
        encoded.offsets[: max_length - 1] + [(0, 0)],
    )


def span_weights(offsets: list[tuple[int, int]], spans: list[tuple[int, int]]):
    """(spans, tokens) averaging weights: a token belongs to a span when its middle is inside.

    Rows of spans that hold no token are all zero. Done with numpy over the whole review at
    once: the per-token Python loop it replaces cost about a tenth of the scoring job.
    """
    bounds = np.asarray(offsets, dtype=np.float64).reshape(-1, 2)
    middles = bounds.sum(axis=1) / 2
    real = bounds[:, 1] > bounds[:, 0]
    limits = np.asarray(spans, dtype=np.float64).reshape(-1, 2)
    inside = (
        real[None, :] & (middles[None, :] >= limits[:, :1]) & (middles[None, :] < limits[:, 1:])
    )
    counts = inside.sum(axis=1, keepdims=True)
    return inside / np.maximum(counts, 1), counts[:, 0]


class E5SentimentScorer:
    name = "e5-finetuned"

    def __init__(
        self,
        model,
        tokenizer,
        *,
        rule: DecisionRule | None = None,
        max_length: int = 256,
        batch_tokens: int = 4096,
        threads: int = 0,
        quantize: bool = False,
        int8_scheme: str = INT8_PER_CHANNEL,
        attention: str = "",
        precision: str = FLOAT32,
    ):
        import torch

        if threads:
            torch.set_num_threads(threads)
        precision = INT8 if quantize else precision
        if precision not in PRECISIONS:
            raise ValueError(f"Unknown precision {precision!r}: one of {', '.join(PRECISIONS)}.")
        quantize = precision == INT8
        model.eval()
        if quantize:
            model = quantize_int8(model, scheme=int8_scheme)
        if attention:
            model.encoder.set_attn_implementation(attention)
        self.model = model
        self.tokenizer = tokenizer
        # A Hugging Face base model (hf.HFTokenizer) is named in the scoring job's result.
        self.base_model = getattr(tokenizer, "name_or_path", "")
        if self.base_model:
            self.name = "hf-finetuned"
        self.rule = rule or DecisionRule()
        # Reviews longer than this many tokens are cut (the tokenizer may allow more).
        self.max_length = max_length
        self.batch_tokens = batch_tokens
        self.quantized = quantize
        self.precision = precision
        self.int8_scheme = int8_scheme if quantize else ""

    @classmethod
    def from_file(cls, path, *, model_file=None, threads: int = 0, quantize: bool = False, **kw):
        saved = read_saved_model(path)
        model_file = resolve_model_file(FineTuneConfig(**saved["config"]), model_file)
        model, config, rule = model_from_saved(saved, model_file=model_file)
        tokenizer = build_tokenizer(config, model_file)
        return cls(
            model,
            tokenizer,
            rule=rule,
            max_length=kw.pop("max_length", None) or config.max_length,
            threads=threads,
            quantize=quantize,
            **kw,
        )

    # --- the forward pass ------------------------------------------------------------------
    def _batches(self, lengths: list[int]):
        order = sorted(range(len(lengths)), key=lambda index: lengths[index])
        batch: list[int] = []
        for index in order:
            if batch and (len(batch) + 1) * lengths[index] > self.batch_tokens:
                yield batch
                batch = []
            batch.append(index)
        if batch:
            yield batch

    def _run(self, encoded, spans_per_review: list[list[tuple[int, int]]] | None = None):
        """Per review (3-class, 5-star) probabilities; and per requested span, 3-class ones."""
        import torch

        from .encoder import pad_batch

        count = len(encoded)
        probabilities = np.zeros((count, 3), dtype=np.float64)
        star_probabilities = np.zeros((count, 5), dtype=np.float64)
        span_probabilities: dict[tuple[int, int], np.ndarray] = {}
        encoded = [_cut(item, self.max_length) for item in encoded]
        lengths = [len(item.ids) for item in encoded]
        with torch.inference_mode():
            for rows in self._batches(lengths):
                input_ids, mask = pad_batch([encoded[i].ids for i in rows], self.tokenizer.pad)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bfloat16):
                    hidden = self.model.hidden_states(input_ids, mask)
                # Pooling and the heads in float32 (the bfloat16 states are only rounded).
                hidden = hidden.float()
                pooled = self.model.pool(hidden, mask)
                pieces, owners = [pooled], []
                if spans_per_review is not None:
                    for position, review in enumerate(rows):
                        spans = spans_per_review[review]
                        if not spans:
                            continue
                        offsets = encoded[review].offsets
                        weights, counts = span_weights(offsets, spans)
                        kept = np.flatnonzero(counts)
                        if not len(kept):
                            continue
                        pieces.append(
                            torch.from_numpy(weights[kept].astype(np.float32))
                            @ hidden[position, : len(offsets)]
                        )
                        owners.extend((review, int(number)) for number in kept)
                sentiment, stars = self.model.logits(torch.cat(pieces))
                three, five = three_class_probabilities(sentiment, stars)
                three, five = three.double().numpy(), five.double().numpy()
                probabilities[rows] = three[: len(rows)]
                star_probabilities[rows] = five[: len(rows)]
                for (review, number), row in zip(owners, three[len(rows) :], strict=True):
                    span_probabilities[(review, number)] = row
        return probabilities, star_probabilities, span_probabilities

    # --- the scorer interface ----------------------------------------------------------------
    def probabilities(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(n, 3) probabilities (negative, neutral, positive) and (n, 5) star probabilities."""
        if not texts:
            return np.zeros((0, 3)), np.zeros((0, 5))
        probabilities, stars, _spans = self._run(self.tokenizer.encode_batch(list(texts)))
        return probabilities, stars

    def predict_proba(self, texts: list[str], **_ignored) -> np.ndarray:
        return self.probabilities(texts)[0]

    def labels(self, texts: list[str]) -> list[str]:
        return self.rule.labels(*self.probabilities(texts))

    def score_texts(self, texts: list[str], *, aspects: bool = True) -> list[dict]:
        """[{"label", "score", "probabilities", "aspects"}] per text, as scoring.score_texts."""
        from ..aspects import aspects_mentioned, label_for_score, split_sentences

        texts = [str(text or "") for text in texts]
        if not texts:
            return []
        normalized = [self.tokenizer.normalize(text) for text in texts]
        mentions: list[_Mention] = []
        spans: list[list[tuple[int, int]]] = [[] for _text in texts]
        if aspects:
            for review, text in enumerate(normalized):
                sentences = split_sentences(text)
                for sentence, (start, end) in zip(
                    sentences, sentence_spans(text, sentences), strict=True
                ):
                    found = aspects_mentioned(sentence)
                    if found and start >= 0:
                        # Offsets are into the prefixed text ("query: " for e5, none else).
                        shift = len(self.tokenizer.prefix)
                        spans[review].append((start + shift, end + shift))
                        mentions.append(_Mention(review, found, (start, end), sentence))
        encoded = self.tokenizer.encode_batch(normalized, normalized=True)
        probabilities, stars, span_probabilities = self._run(encoded, spans if aspects else None)
        labels = self.rule.labels(probabilities, stars)
        # Sentences the review's pass did not reach (cut by max_length): one pass of their own.
        numbers: dict[int, int] = {}
        keyed = []
        for mention in mentions:
            number = numbers.get(mention.review, 0)
            numbers[mention.review] = number + 1
            keyed.append(((mention.review, number), mention))
        missing = [mention.sentence for key, mention in keyed if key not in span_probabilities]
        if missing:
            missing_rows = iter(self.probabilities(missing)[0])
            for key, _mention in keyed:
                if key not in span_probabilities:
                    span_probabilities[key] = next(missing_rows)
        sums: dict[tuple[int, str], list[float]] = {}
        for key, mention in keyed:
            row = span_probabilities[key]
            for aspect in mention.aspects:
                sums.setdefault((mention.review, aspect), []).append(float(row[2] - row[0]))
        found: list[dict] = [{} for _text in texts]
        for (review, aspect), values in sums.items():
            mean = sum(values) / len(values)
            found[review][aspect] = {
                "label": label_for_score(mean),
                "score": round(mean, 3),
                "mentions": len(values),
            }
        results = []
        for row, label, text_aspects in zip(probabilities, labels, found, strict=True):
            results.append(
                {
                    "label": label,
                    "score": round(float(row[2] - row[0]), 4),
                    "probabilities": {
                        name: round(float(value), 4)
                        for name, value in zip(LABELS, row, strict=True)
                    },
                    "aspects": {
                        aspect: text_aspects[aspect]
                        for aspect in sorted(text_aspects, key=_aspect_order)
                    },
                }
            )
        return results

    @property
    def bfloat16(self) -> bool:
        return self.precision == BFLOAT16

    def describe(self) -> dict:
        return {
            "kind": self.name,
            "quantized": self.quantized,
            "precision": self.precision,
            **({"base_model": self.base_model} if self.base_model else {}),
            "rule": {"margin": self.rule.margin},
        }


def _aspect_order(aspect: str) -> int:
    from ..aspects import ASPECTS

    return ASPECTS.index(aspect)
