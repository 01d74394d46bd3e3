"""Fine-tuning multilingual-e5-small on rated reviews (CPU): the whole transformer with two heads.

A review is "query: <title>. <text>" (the e5 recipe); its vector is the mean of the last hidden
states over its tokens (or the <s> token's, `pooling="cls"`). Two linear heads read it: three
classes (negative, neutral, positive) and five stars; the loss is the three-class cross-entropy
plus `star_weight` times the five-star one, and the prediction averages the three-class
probabilities with the star probabilities summed into three (1-2, 3, 4-5). The star head
teaches the encoder that 1 and 2 stars, or 4 and 5, are not the same, which the three-class
labels alone cannot.

The run:
- every transformer weight trains (the 4-bit word-embedding table stays frozen: encoder.py);
  AdamW, a linear warm-up then linear decay, gradients clipped to `clip_norm`, optional
  layer-wise learning-rate decay (lower layers move less);
- batches are language-balanced: each language's share of an epoch is proportional to
  (its reviews) ** `language_alpha` (0.5: a language with a quarter of the reviews gets half
  the share of the largest), and its reviews are spread evenly over the epoch so every batch
  holds every language; a batch is run as length-sorted micro-batches of `micro_batch`
  reviews (each padded only to its own longest), gradients accumulated. `bucket_size` > 0
  also sorts each language's stream by length in buckets of that many batches (as
  Hugging Face's group_by_length does); it is off by default because it makes batches of
  one sentiment when length and stars go together: on the test's made-up reviews the loss
  then oscillated instead of falling (tests/ai/test_sentiment_e5.py);
- everything random comes from `seed` (the plan of batches, dropout): a run is the same run
  twice, and a run restarted from its last checkpoint (`checkpoint_dir`, written every
  `checkpoint_every` steps, atomically) ends with the same weights as one never stopped;
- `progress(done, total, message)` is called after every step (the store's JobReporter);
- a validation share (stratified by language and stars) chooses the decision rule
  (`DecisionRule.choose`) and is measured at the end;
- `precision` "auto" trains under bfloat16 autocast on a CPU with bfloat16 matrix units
  (shop.hardware; the weights, AdamW's state and the loss stay float32), float32 elsewhere.

No Django here: phase B's training job calls `fine_tune(...)` with the store's reviews.
"""

from __future__ import annotations

import math
import os
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

# The classifier's pieces live in classifier.py (shared with serving); they are named here too,
# as before, for the job, the bench and the tests.
from .classifier import (  # noqa: F401
    FORMAT,
    LABELS,
    DecisionRule,
    Example,
    FineTuneConfig,
    build_classifier,
    build_tokenizer,
    load_model,
    polar_as_neutral,
    resolve_model_file,
    review_input,
    three_class_probabilities,
)
from .inference import BFLOAT16, FLOAT32, E5SentimentScorer

CHECKPOINT = "checkpoint.pt"


def training_precision(config: FineTuneConfig) -> str:
    """float32 or bfloat16: the config's `precision`, "auto" resolved for this CPU."""
    from shop.hardware import resolve_precision

    return resolve_precision(config.precision, allowed=(FLOAT32, BFLOAT16))


def split_validation(examples: Sequence[Example], share: float, seed: int):
    """(train, validation) indexes, stratified by language and stars."""
    rng = random.Random(seed)
    groups: dict[tuple[str, int], list[int]] = {}
    for index, example in enumerate(examples):
        groups.setdefault((example.language, example.stars), []).append(index)
    train, validation = [], []
    for key in sorted(groups):
        indexes = groups[key][:]
        rng.shuffle(indexes)
        held = int(round(len(indexes) * share)) if len(indexes) > 2 else 0
        validation.extend(indexes[:held])
        train.extend(indexes[held:])
    return sorted(train), sorted(validation)


def plan_batches(
    lengths: Sequence[int],
    languages: Sequence[str],
    config: FineTuneConfig,
) -> list[list[int]]:
    """Every step's example indexes, for the whole run, from the seed alone."""
    rng = np.random.default_rng(config.seed)
    total = len(lengths)
    by_language: dict[str, list[int]] = {}
    for index, language in enumerate(languages):
        by_language.setdefault(language if config.balance_languages else "", []).append(index)
    names = sorted(by_language)
    weights = np.array([len(by_language[name]) ** config.language_alpha for name in names])
    shares = weights / weights.sum()
    per_epoch = total
    steps = max(1, math.ceil(config.epochs * per_epoch / config.batch_size))
    needed = steps * config.batch_size
    # Each language's stream: its reviews shuffled, epoch after epoch; cut into buckets of
    # bucket_size batches' worth, each sorted by length (neighbours have similar lengths).
    streams: dict[str, list[int]] = {}
    for name, share in zip(names, shares, strict=True):
        quota = int(math.ceil(needed * share)) + config.batch_size
        stream: list[int] = []
        while len(stream) < quota:
            members = list(by_language[name])
            rng.shuffle(members)
            stream.extend(members)
        stream = stream[:quota]
        if config.bucket_size:
            size = max(1, int(config.bucket_size * config.batch_size * share))
            stream = [
                index
                for start in range(0, len(stream), size)
                for index in sorted(stream[start : start + size], key=lambda i: lengths[i])
            ]
        streams[name] = stream
    # Interleave the streams evenly (stride scheduling): language l's k-th review sits at
    # (k + offset) / its quota of the run, so each batch holds every language in proportion.
    keyed = []
    for name, share in zip(names, shares, strict=True):
        offset = rng.random()
        quota = needed * share
        keyed.extend(
            ((position + offset) / quota, index) for position, index in enumerate(streams[name])
        )
    keyed.sort(key=lambda item: item[0])
    order = [index for _key, index in keyed[:needed]]
    return [
        order[step * config.batch_size : (step + 1) * config.batch_size] for step in range(steps)
    ]


# --- training ----------------------------------------------------------------------------------
@dataclass
class FineTuneResult:
    model: object
    config: FineTuneConfig
    rule: DecisionRule
    rule_table: list[dict] = field(default_factory=list)
    steps: int = 0
    resumed_from: int = 0
    seconds: float = 0.0
    losses: list[float] = field(default_factory=list)
    validation: dict = field(default_factory=dict)


# A transformer layer's parameters: "encoder.encoder.layer.3." (BERT, e5), "...layers.3." (others).
_LAYER_NAME = re.compile(r"^encoder\..*?\blayers?\.(\d+)\.")


def _parameter_groups(model, config: FineTuneConfig):
    layers = model.encoder.config.num_hidden_layers
    groups: dict[tuple[float, float], list] = {}

    def add(parameter, rate, decay):
        groups.setdefault((rate, decay), []).append(parameter)

    for name, parameter in model.named_parameters():
        if not parameter.requires_grad:
            continue
        no_decay = name.endswith("bias") or "LayerNorm" in name
        decay = 0.0 if no_decay else config.weight_decay
        if name.startswith(("sentiment.", "stars.")):
            rate = config.head_learning_rate
        elif match := _LAYER_NAME.match(name):
            depth = min(int(match.group(1)), layers - 1)
            rate = config.learning_rate * config.layer_decay ** (layers - 1 - depth)
        else:  # embeddings (positions, token types, their layer norm); a pooler
            rate = config.learning_rate * config.layer_decay**layers
        add(parameter, rate, decay)
    return [
        {"params": params, "lr": rate, "weight_decay": decay}
        for (rate, decay), params in groups.items()
    ]


def _trainable_state(model) -> dict:
    # Everything but the frozen 4-bit table (a non-persistent buffer, read from the package).
    return dict(model.state_dict())


def _save_atomically(payload: dict, path: Path) -> None:
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    torch.save(payload, temporary)
    os.replace(temporary, path)


def fine_tune(
    examples: Sequence[Example],
    config: FineTuneConfig | None = None,
    *,
    checkpoint_dir: str | Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    stop_after: int | None = None,
    model_file=None,
) -> FineTuneResult:
    """Fine-tunes a classifier on `examples`; resumes from `checkpoint_dir` when one is there.

    `stop_after`: stop after this many steps (in total), as a killed worker would (tests).
    """
    import torch

    config = config or FineTuneConfig()
    bfloat16 = training_precision(config) == BFLOAT16
    if config.threads:
        torch.set_num_threads(config.threads)
    report = progress or (lambda done, total, message="": None)
    started = time.perf_counter()
    model_file = resolve_model_file(config, model_file)

    train_idx, validation_idx = split_validation(examples, config.validation_share, config.seed)
    train = [examples[i] for i in train_idx]
    validation = [examples[i] for i in validation_idx]
    if len({example.label for example in train}) < 2:
        raise ValueError("Fine-tuning needs reviews of at least two sentiment classes.")
    tokenizer = build_tokenizer(config, model_file)
    token_ids = tokenizer([review_input(e.title, e.text) for e in train])
    plan = plan_batches([len(ids) for ids in token_ids], [e.language for e in train], config)
    total_steps = len(plan)
    warmup = max(1, int(total_steps * config.warmup_share))

    torch.manual_seed(config.seed)
    model = build_classifier(config, model_file)
    optimizer = torch.optim.AdamW(_parameter_groups(model, config), betas=(0.9, 0.999), eps=1e-8)

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    folder = Path(checkpoint_dir) if checkpoint_dir else None
    step = resumed_from = 0
    losses: list[float] = []
    if folder is not None and (folder / CHECKPOINT).is_file():
        saved = torch.load(folder / CHECKPOINT, map_location="cpu", weights_only=False)
        if saved.get("fingerprint") == config.fingerprint():
            model.load_state_dict(saved["model"], strict=False)
            optimizer.load_state_dict(saved["optimizer"])
            scheduler.load_state_dict(saved["scheduler"])
            torch.set_rng_state(saved["torch_rng"])
            step = resumed_from = saved["step"]
            losses = list(saved["losses"])
            report(step, total_steps, f"Resumed at step {step}")

    def save_checkpoint() -> None:
        if folder is None:
            return
        _save_atomically(
            {
                "format": FORMAT,
                "fingerprint": config.fingerprint(),
                "step": step,
                "model": _trainable_state(model),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "torch_rng": torch.get_rng_state(),
                "losses": losses,
            },
            folder / CHECKPOINT,
        )

    from .encoder import pad_batch

    labels = torch.tensor([e.label for e in train], dtype=torch.long)
    star_labels = torch.tensor([e.stars - 1 for e in train], dtype=torch.long)
    model.train()
    while step < total_steps:
        if stop_after is not None and step >= stop_after:
            break
        batch = sorted(plan[step], key=lambda i: len(token_ids[i]))
        optimizer.zero_grad(set_to_none=True)
        batch_loss = 0.0
        for start in range(0, len(batch), config.micro_batch):
            rows = batch[start : start + config.micro_batch]
            input_ids, mask = pad_batch([token_ids[i] for i in rows], tokenizer.pad)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16):
                sentiment_logits, star_logits = model(input_ids, mask)
            loss = torch.nn.functional.cross_entropy(
                sentiment_logits.float(), labels[rows], reduction="sum"
            ) + config.star_weight * torch.nn.functional.cross_entropy(
                star_logits.float(), star_labels[rows], reduction="sum"
            )
            (loss / len(batch)).backward()
            batch_loss += float(loss.detach()) / len(batch)
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip_norm)
        optimizer.step()
        scheduler.step()
        step += 1
        losses.append(round(batch_loss, 5))
        if folder is not None and (step % config.checkpoint_every == 0 or step == total_steps):
            save_checkpoint()
        report(step, total_steps, "Fine-tuning the sentiment encoder")

    model.eval()
    rule, table, measured = DecisionRule(), [], {}
    if step == total_steps and validation:
        scorer = E5SentimentScorer(
            model,
            tokenizer,
            rule=rule,
            max_length=config.max_length,
            precision=BFLOAT16 if bfloat16 else FLOAT32,
        )
        probabilities, star_probabilities = scorer.probabilities(
            [review_input(e.title, e.text) for e in validation]
        )
        stars = [e.stars for e in validation]
        rule, table = DecisionRule.choose(probabilities, star_probabilities, stars)
        measured = {"reviews": len(validation), "rule_table": table}
    return FineTuneResult(
        model=model,
        config=config,
        rule=rule,
        rule_table=table,
        steps=step,
        resumed_from=resumed_from,
        seconds=time.perf_counter() - started,
        losses=losses,
        validation=measured,
    )


def save_model(result: FineTuneResult, path: str | Path) -> None:
    """The fine-tuned weights (not the frozen 4-bit table), config and decision rule."""
    _save_atomically(
        {
            "format": FORMAT,
            "config": asdict(result.config),
            "rule": asdict(result.rule),
            "model": _trainable_state(result.model),
        },
        Path(path),
    )
