"""Scoring texts and reviews: label, score in [-1, 1], per-aspect sentiment."""

from __future__ import annotations

from reviews.selectors import reviews_for_scoring
from reviews.services import review_record_sentiment, review_sentiment_drop_alert

from .aspects import aspect_sentiment
from .backends import get_scorer
from .model import SentimentModel, prediction_from_probabilities

BATCH = 64
LEFTOVERS = 500


def review_text(title: str, text: str) -> str:
    title = (title or "").strip()
    text = (text or "").strip()
    if title and text:
        separator = "" if title[-1] in ".!?。！？" else "."
        return f"{title}{separator} {text}"
    return title or text


def score_texts(texts: list[str], *, aspects: bool = True, scorer=None) -> list[dict]:
    """[{"label", "score", "probabilities", "aspects"}] for each text, in order."""
    texts = [str(text or "") for text in texts]
    if not texts:
        return []
    scorer = scorer or get_scorer()
    if hasattr(scorer, "score_texts"):
        # A fine-tuned e5 model: its decision rule, and the aspects from the same forward pass.
        return scorer.score_texts(texts, aspects=aspects)
    encoding = None
    if isinstance(scorer, SentimentModel) and scorer.encoder_weight:
        # One encoder pass: the review's vector is made of its sentences' vectors, which then
        # also score the sentences that mention an aspect.
        encoding = scorer.encode(texts)
        probabilities = scorer.predict_proba(texts, vectors=encoding.review_vectors)
    else:
        probabilities = scorer.predict_proba(texts)

    def score_sentences(sentences: list[str]) -> list[float]:
        vectors = encoding.vectors_for(sentences) if encoding is not None else None
        if vectors is not None:
            rows = scorer.predict_proba(sentences, vectors=vectors)
        else:
            rows = scorer.predict_proba(sentences)
        return [float(row[2] - row[0]) for row in rows]

    found = aspect_sentiment(texts, score_sentences) if aspects else [{} for _text in texts]
    results = []
    for row, text_aspects in zip(probabilities, found, strict=True):
        prediction = prediction_from_probabilities(row)
        results.append(
            {
                "label": prediction.label,
                "score": prediction.score,
                "probabilities": {k: round(v, 4) for k, v in prediction.probabilities.items()},
                "aspects": text_aspects,
            }
        )
    return results


def score_reviews(
    *, review_ids: list[int] | None = None, only_unscored: bool = False, progress=None
) -> dict:
    """Scores reviews (these ids, or all / all unscored) and stores the results; idempotent."""

    rows = list(reviews_for_scoring(review_ids=review_ids, only_unscored=only_unscored))
    if review_ids is not None:
        # Also any review left unscored by an earlier failure (a retry may have been merged
        # into another job): scoring is idempotent, so overlap costs nothing but time.
        seen = {row[0] for row in rows}
        rows += [
            row for row in reviews_for_scoring(only_unscored=True)[:LEFTOVERS] if row[0] not in seen
        ]
    total = len(rows)
    scorer = get_scorer(fresh=True)
    scored = 0
    for start in range(0, total, BATCH):
        chunk = rows[start : start + BATCH]
        results = score_texts(
            [review_text(title, text) for _pk, title, text, _product in chunk], scorer=scorer
        )
        for (pk, _title, _text, _product), result in zip(chunk, results, strict=True):
            if review_record_sentiment(
                review_id=pk,
                label=result["label"],
                score=result["score"],
                aspects=result["aspects"],
            ):
                scored += 1
        if progress is not None:
            progress(start + len(chunk), total, "Scoring reviews")
    drops = (
        review_sentiment_drop_alert(product_ids=sorted({row[3] for row in rows})) if rows else []
    )
    return {
        "drops": len(drops),
        "reviews": total,
        "scored": scored,
        "scorer": getattr(scorer, "name", "") or scorer.describe()["kind"],
    }
