"""The recommender's mathematics and offline evaluation, on small data made in the tests."""

from pathlib import Path

import numpy as np
import pytest

from ai.recommend.algorithms import Interactions, Ranker, RatingModel, top_n
from ai.recommend.evaluation import (
    EvaluationConfig,
    RatingsFileError,
    evaluate,
    load_split,
    parse_ratings,
    ranking_metrics,
)

RATINGS = Path(__file__).resolve().parents[1] / "data" / "ratings"


def two_taste_groups() -> Interactions:
    # Users a* buy rings 1-3, users b* buy necklaces 4-6; item 7 is bought by everyone.
    triples = []
    for user in ("a1", "a2", "a3", "a4"):
        triples += [(user, item, 1.0) for item in (1, 2, 3, 7)]
    for user in ("b1", "b2", "b3", "b4", "b5"):
        triples += [(user, item, 1.0) for item in (4, 5, 6, 7)]
    triples += [("new-a", 1, 1.0), ("new-a", 2, 1.0)]
    return Interactions.from_triples(triples)


def test_ease_completes_a_shoppers_taste_where_popularity_cannot():
    # Given shoppers in two taste groups and a newcomer who bought two rings
    data = two_taste_groups()
    row = data.matrix[[data.user_index["new-a"]]]
    seen = row.toarray() > 0

    # When EASE and popularity rank what the newcomer has not bought
    ease = top_n(Ranker(method="ease", l2=1.0).fit(data.matrix).score(row), exclude=seen, n=2)
    popular = top_n(Ranker(method="popularity").fit(data.matrix).score(row), exclude=seen, n=2)

    # Then EASE proposes the third ring of the group, popularity the necklaces' crowd favourite
    assert data.items[ease[0][0]] in (3, 7)
    assert 3 in [data.items[j] for j in ease[0]]
    assert data.items[popular[0][0]] == 7
    assert 3 not in [data.items[j] for j in popular[0]]


def test_item_neighbours_come_from_the_same_group():
    data = two_taste_groups()
    ranker = Ranker(method="ease", l2=1.0).fit(data.matrix)

    neighbours = [data.items[j] for j, _score in ranker.neighbours(data.item_index[4], limit=2)]

    assert set(neighbours) == {5, 6}


def test_repeated_pairs_add_up_in_the_interaction_matrix():
    data = Interactions.from_triples([("u", "x", 1.0), ("u", "x", 2.5), ("v", "y", 1.0)])

    assert data.matrix[data.user_index["u"], data.item_index["x"]] == pytest.approx(3.5)
    assert data.matrix.shape == (2, 2)


def test_ranking_metrics_on_a_hand_checked_case():
    # Given one user who liked a and c; the list shows a first and c fourth
    metrics = ranking_metrics({"u": ["a", "b", "x", "c"]}, {"u": {"a", "c"}}, k=10)

    ideal = 1 + 1 / np.log2(3)
    assert metrics["precision_at_10"] == pytest.approx(0.2)
    assert metrics["recall_at_10"] == pytest.approx(1.0)
    assert metrics["ndcg_at_10"] == pytest.approx((1 + 1 / np.log2(5)) / ideal)


def test_the_svd_rating_model_predicts_stars_within_the_scale():
    triples = [(f"u{u}", f"i{i}", 5.0 if (u + i) % 2 else 1.0) for u in range(8) for i in range(6)]
    model = RatingModel("svd", n_epochs=30).fit(triples)

    grid = model.predict_matrix(["u1", "u2", "stranger"], ["i1", "i2", "unknown"])

    assert grid.shape == (3, 3)
    assert ((grid >= 1) & (grid <= 5)).all()
    assert grid[0, 0] == pytest.approx(model.predict("u1", "i1"))


def test_unknown_rating_model_is_refused():
    with pytest.raises(ValueError, match="Unknown rating model"):
        RatingModel("deep-magic")


def test_parse_ratings_reads_movielens_and_csv_formats():
    movielens = parse_ratings("1\t10\t5\t881250949\n2\t11\t3\t881250950\n")
    csv = parse_ratings((RATINGS / "good.csv").read_text())

    assert [(r.user, r.item, r.rating) for r in movielens] == [("1", "10", 5.0), ("2", "11", 3.0)]
    assert len(csv) == 4
    assert csv[2].timestamp == 0
    assert csv[3].rating == 4.5


def test_parse_ratings_reports_every_bad_line():
    with pytest.raises(RatingsFileError) as caught:
        parse_ratings((RATINGS / "bad.data").read_text())

    assert [number for number, _reason in caught.value.errors] == [2, 3, 4]
    assert "rating" in caught.value.errors[0][1]


def test_evaluation_beats_popularity_on_the_shipped_taste_groups():
    train, test = load_split(RATINGS, "u1")

    result = evaluate(train, test, EvaluationConfig(l2=10.0))

    for key in ("rmse", "mae", "precision_at_10", "recall_at_10", "ndcg_at_10"):
        assert 0 <= result[key] <= 5
    assert result["ndcg_at_10"] > result["popularity_ndcg_at_10"]
    assert result["users_evaluated"] > 0
