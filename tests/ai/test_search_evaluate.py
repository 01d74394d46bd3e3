"""`manage.py evaluate_search`: nDCG@10, recall@50 and MRR per language, against baselines."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ai.index.indexer import reindex_products
from ai.search.evaluation import ndcg, recall, reciprocal_rank

from .test_search_query import search_shop  # noqa: F401 - the catalog fixture

QUERIES = Path(__file__).resolve().parents[1] / "data" / "search" / "queries.jsonl"


def test_metrics_follow_their_definitions():
    relevant = {"a", "b"}

    assert ndcg(["a", "b", "x"], relevant) == 1.0
    assert ndcg(["x", "a"], relevant) == pytest.approx((1 / 1.585) / (1 + 1 / 1.585), rel=1e-3)
    assert ndcg(["x", "y"], relevant) == 0.0
    assert recall(["a", "x"], relevant) == 0.5
    assert reciprocal_rank(["x", "y", "b"], relevant) == pytest.approx(1 / 3)


@pytest.fixture
def indexed(search_shop, use_embedder):  # noqa: F811
    reindex_products(embedder=use_embedder)
    return search_shop


def judged_file(tmp_path, lines) -> str:
    path = tmp_path / "judged.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")
    return str(path)


def run(*args) -> str:
    out = StringIO()
    call_command("evaluate_search", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_evaluation_reports_each_language_and_overall_for_three_rankings(tmp_path, indexed):
    path = judged_file(
        tmp_path,
        [
            {"query": "sapphire ring", "language": "en", "relevant": ["sapphire-ring"]},
            {"query": "ピアス", "language": "ja", "relevant": ["pearl-earrings", "gold-hoops"]},
            {"query": "sapphrie", "language": "fr", "relevant": ["sapphire-ring"]},
        ],
    )

    report = json.loads(run(path, "--json"))

    by_mode = {result["mode"]: result for result in report["results"]}
    assert set(by_mode) == {"hybrid", "lexical", "vector"}
    hybrid = by_mode["hybrid"]
    assert list(hybrid["languages"]) == ["en", "fr", "ja"]
    assert hybrid["overall"] == {"queries": 3, "ndcg@10": 1.0, "recall@50": 1.0, "mrr": 1.0}
    # Plain BM25 has no typo tolerance: "sapphrie" finds nothing.
    assert by_mode["lexical"]["languages"]["fr"]["ndcg@10"] == 0.0
    assert report["unknown_handles"] == []


def test_the_table_names_the_metrics(tmp_path, indexed):
    path = judged_file(
        tmp_path, [{"query": "pearl", "language": "en", "relevant": ["pearl-earrings"]}]
    )

    table = run(path, "--mode", "hybrid", "--queries")

    assert "nDCG@10" in table and "R@50" in table and "MRR" in table
    assert "overall" in table and "pearl" in table
    assert "lexical" not in table


def test_handles_missing_from_the_catalog_are_reported(tmp_path, indexed):
    path = judged_file(tmp_path, [{"query": "pearl", "language": "en", "relevant": ["nope"]}])

    report = json.loads(run(path, "--json", "--mode", "hybrid"))

    assert report["unknown_handles"] == ["nope"]
    assert report["results"][0]["overall"]["ndcg@10"] == 0.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json\n", "line 1: not JSON"),
        ('{"query": "x", "language": "xx", "relevant": []}\n', "line 1: 'language'"),
        ('{"query": "", "language": "en", "relevant": []}\n', "line 1: 'query'"),
        ('\n{"query": "x", "language": "en", "relevant": "a"}\n', "line 2: 'relevant'"),
        ("[1, 2]\n", "line 1: expected a JSON object"),
        ("\n\n", "no judged query"),
    ],
)
def test_a_bad_file_is_a_clear_error(tmp_path, db, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)

    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_a_missing_file_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.jsonl"))


def test_the_shipped_query_set_covers_seven_languages_with_sixty_queries_or_more():
    lines = [json.loads(line) for line in QUERIES.read_text().splitlines() if line.strip()]

    assert len(lines) >= 60
    assert {line["language"] for line in lines} == {"en", "zh-hans", "fr", "de", "es", "ja", "ar"}
    assert all(line["relevant"] for line in lines)


@pytest.mark.slow
def test_the_shipped_query_set_scores_well_on_the_demo_store(db, use_embedder):
    # Given the demo store, embedded
    from demo.seed import seed_demo

    seed_demo(products=540, seed=42, processes=1)
    reindex_products(embedder=use_embedder)

    # When the shipped judged queries are evaluated
    report = json.loads(run(str(QUERIES), "--json"))
    by_mode = {result["mode"]: result for result in report["results"]}

    # Then the hybrid search clears the goals, and beats both baselines
    # (measured 0.994-0.995 overall and at least 0.985 per language; see docs/benchmarks.md)
    hybrid = by_mode["hybrid"]
    assert report["unknown_handles"] == []
    assert hybrid["overall"]["ndcg@10"] >= 0.95
    assert all(row["ndcg@10"] >= 0.9 for row in hybrid["languages"].values())
    assert hybrid["overall"]["ndcg@10"] > by_mode["lexical"]["overall"]["ndcg@10"]
    assert hybrid["overall"]["ndcg@10"] > by_mode["vector"]["overall"]["ndcg@10"]
