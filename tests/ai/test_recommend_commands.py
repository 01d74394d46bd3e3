"""import_ratings, evaluate_recommender and train_recommender on small shipped files."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ai.models import ExternalRating, RecommendationList
from shop.models import JobStatus

RATINGS = Path(__file__).resolve().parents[1] / "data" / "ratings"
KEYS = (
    "rmse",
    "mae",
    "precision_at_10",
    "recall_at_10",
    "ndcg_at_10",
    "popularity_precision_at_10",
    "popularity_ndcg_at_10",
)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_ratings_loads_a_movielens_file(db):
    output = run("import_ratings", str(RATINGS / "u1.base"), "--dataset", "tiny")

    assert ExternalRating.objects.filter(dataset="tiny").count() == 320
    assert "Imported 320 ratings" in output
    first = ExternalRating.objects.filter(dataset="tiny").order_by("id").first()
    assert (first.user_ref, first.item_ref, first.rating) == ("1", "1", 5.0)


def test_import_ratings_loads_a_csv_file_and_can_replace_a_dataset(db):
    run("import_ratings", str(RATINGS / "good.csv"), "--dataset", "shop")
    run("import_ratings", str(RATINGS / "good.csv"), "--dataset", "shop", "--replace")

    assert ExternalRating.objects.filter(dataset="shop").count() == 4
    assert set(ExternalRating.objects.values_list("user_ref", flat=True)) == {"alice", "bob"}


def test_import_ratings_with_a_bad_line_imports_nothing_and_reports_each_line(db):
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_ratings", str(RATINGS / "bad.data"), stdout=StringIO(), stderr=err)

    assert ExternalRating.objects.count() == 0
    report = err.getvalue()
    assert "line 2:" in report and "line 3:" in report and "line 4:" in report
    assert "line 1:" not in report and "line 5:" not in report


def test_import_ratings_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import_ratings", str(tmp_path / "missing.data"))


def test_import_ratings_refuses_a_binary_file(db, tmp_path):
    binary = tmp_path / "ratings.bin"
    binary.write_bytes(b"\x00\x01\x02 not ratings")

    with pytest.raises(CommandError, match="not a text file"):
        run("import_ratings", str(binary))
    assert ExternalRating.objects.count() == 0


def test_evaluate_recommender_prints_every_figure_as_json():
    output = run("evaluate_recommender", "--ratings", str(RATINGS), "--split", "u1", "--json")

    result = json.loads(output)
    for key in KEYS:
        assert isinstance(result[key], float), key
    assert 0 < result["rmse"] < 4
    assert result["ndcg_at_10"] > result["popularity_ndcg_at_10"]
    assert result["split"] == "u1"


def test_evaluate_recommender_prints_a_table_by_default():
    output = run("evaluate_recommender", "--ratings", str(RATINGS), "--ranking", "itemknn")

    assert "precision_at_10" in output
    assert "ranking itemknn" in output


def test_evaluate_recommender_on_an_imported_dataset(db):
    run("import_ratings", str(RATINGS / "u1.base"), "--dataset", "tiny")

    result = json.loads(run("evaluate_recommender", "--dataset", "tiny", "--json"))

    assert result["train_ratings"] + result["test_ratings"] == 320


def test_evaluate_recommender_names_a_missing_split():
    with pytest.raises(CommandError, match="No u9.base"):
        run("evaluate_recommender", "--ratings", str(RATINGS), "--split", "u9")


def test_evaluate_recommender_refuses_an_empty_dataset(db):
    with pytest.raises(CommandError, match="holds no ratings"):
        run("evaluate_recommender", "--dataset", "nothing-here")


def test_train_recommender_runs_the_job_here(db):
    from shop.models import Job
    from tests.factories import ProductFactory

    ProductFactory(handle="ring-a")
    output = run("train_recommender", "--verbosity", "0")

    job = Job.objects.get(kind="recommend.train")
    assert job.status == JobStatus.SUCCEEDED
    assert json.loads(output)["model_version"] == 1
    assert RecommendationList.objects.filter(kind="popular", segment="all").exists()
