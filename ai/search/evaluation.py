"""Offline evaluation of the search: nDCG@10, recall@50 and MRR over judged queries.

A judged query is a JSON line {"query": "...", "language": "fr", "relevant": ["handle", ...]}
(other keys are ignored). Relevance is binary: a product is relevant or not.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

NDCG_AT = 10
RECALL_AT = 50


class JudgementError(ValueError):
    """A judged-query file that cannot be read; the message names the line."""


@dataclass
class Judged:
    query: str
    language: str
    relevant: set[str]
    line: int


def read_judged(lines) -> list[Judged]:
    codes = {code for code, _name in settings.LANGUAGES}
    judged = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise JudgementError(f"line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise JudgementError(f"line {number}: expected a JSON object")
        query, language, relevant = data.get("query"), data.get("language"), data.get("relevant")
        if not isinstance(query, str) or not query.strip():
            raise JudgementError(f"line {number}: 'query' must be a non-empty string")
        if language not in codes:
            raise JudgementError(
                f"line {number}: 'language' must be one of {', '.join(sorted(codes))}"
            )
        if not isinstance(relevant, list) or not all(isinstance(h, str) for h in relevant):
            raise JudgementError(f"line {number}: 'relevant' must be a list of product handles")
        judged.append(Judged(query=query, language=language, relevant=set(relevant), line=number))
    if not judged:
        raise JudgementError("the file holds no judged query")
    return judged


def ndcg(ranked: list[str], relevant: set[str], k: int = NDCG_AT) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, handle in enumerate(ranked[:k]) if handle in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def recall(ranked: list[str], relevant: set[str], k: int = RECALL_AT) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: list[str], relevant: set[str]) -> float:
    for i, handle in enumerate(ranked, start=1):
        if handle in relevant:
            return 1 / i
    return 0.0


def evaluate(judged: list[Judged], *, mode: str, rank) -> dict:
    """Metrics per language and overall; `rank(query, language, mode)` -> handles, best first."""
    per_language: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    queries = []
    for item in judged:
        ranked = rank(item.query, item.language, mode)
        scores = (
            ndcg(ranked, item.relevant),
            recall(ranked, item.relevant),
            reciprocal_rank(ranked[:RECALL_AT], item.relevant),
        )
        per_language[item.language].append(scores)
        queries.append(
            {
                "query": item.query,
                "language": item.language,
                "ndcg@10": round(scores[0], 4),
                "recall@50": round(scores[1], 4),
                "mrr": round(scores[2], 4),
            }
        )

    def mean(rows):
        return {
            "queries": len(rows),
            "ndcg@10": round(sum(r[0] for r in rows) / len(rows), 4),
            "recall@50": round(sum(r[1] for r in rows) / len(rows), 4),
            "mrr": round(sum(r[2] for r in rows) / len(rows), 4),
        }

    order = [code for code, _name in settings.LANGUAGES if code in per_language]
    every = [row for rows in per_language.values() for row in rows]
    return {
        "mode": mode,
        "languages": {code: mean(per_language[code]) for code in order},
        "overall": mean(every),
        "queries": queries,
    }
