"""`manage.py evaluate_recommender --ratings DIR --split u1 [--json]` (or `--dataset NAME`):
trains the rating model and the ranker on a split's training ratings and prints RMSE, MAE and
top-10 precision, recall and NDCG on held-out ratings of 4-5 stars, beside a popularity
baseline measured in the same run (see ai/recommend/evaluation.py for the protocol)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ai.recommend.algorithms import RATING_MODELS
from ai.recommend.evaluation import EvaluationConfig, RatingsFileError, evaluate, load_split
from ai.recommend.ratings import dataset_ratings, random_split

RANKINGS = ("ease", "itemknn", "popularity", "rating")
ORDER = (
    "rmse",
    "mae",
    "precision_at_10",
    "recall_at_10",
    "ndcg_at_10",
    "popularity_precision_at_10",
    "popularity_recall_at_10",
    "popularity_ndcg_at_10",
    "ndcg_ratio_to_popularity",
)


class Command(BaseCommand):
    help = "Measure the recommender against a popularity baseline on a ratings split."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--ratings", help="A folder with <split>.base and <split>.test.")
        source.add_argument(
            "--dataset", help="A dataset loaded with import_ratings (split 80/20 at random)."
        )
        parser.add_argument("--split", default="u1", help="The split's name (default u1).")
        parser.add_argument("--seed", type=int, default=0, help="Seed of the random split.")
        parser.add_argument(
            "--rating-model",
            choices=RATING_MODELS,
            default=getattr(settings, "AI_RECOMMEND_RATING_MODEL", "svd"),
        )
        parser.add_argument(
            "--ranking", choices=RANKINGS, default=getattr(settings, "AI_RECOMMEND_RANKING", "ease")
        )
        parser.add_argument(
            "--l2", type=float, default=getattr(settings, "AI_RECOMMEND_EASE_L2", 500.0)
        )
        parser.add_argument(
            "--rating-weight",
            type=float,
            default=getattr(settings, "AI_RECOMMEND_RATING_WEIGHT", 0.2),
        )
        parser.add_argument(
            "--popularity-weight",
            type=float,
            default=getattr(settings, "AI_RECOMMEND_POPULARITY_WEIGHT", 0.0),
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        try:
            if options["ratings"]:
                train, test = load_split(options["ratings"], options["split"])
            else:
                ratings = dataset_ratings(dataset=options["dataset"])
                if not ratings:
                    raise CommandError(f"The dataset {options['dataset']!r} holds no ratings.")
                train, test = random_split(ratings, seed=options["seed"])
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        except RatingsFileError as exc:
            details = "; ".join(f"line {n}: {reason}" for n, reason in exc.errors[:5])
            raise CommandError(f"{exc} {details}") from exc
        if not train or not test:
            raise CommandError("The split needs training and test ratings.")
        config = EvaluationConfig(
            rating_model=options["rating_model"],
            method=options["ranking"],
            l2=options["l2"],
            rating_weight=options["rating_weight"],
            popularity_weight=options["popularity_weight"],
        )
        result = evaluate(train, test, config)
        result["split"] = options["split"] if options["ratings"] else options["dataset"]
        if options["json"]:
            self.stdout.write(json.dumps(result, sort_keys=True))
            return
        for key in ORDER:
            self.stdout.write(f"{key:<28} {result[key]}")
        self.stdout.write(
            f"({result['users_evaluated']} users, {result['train_ratings']} training and "
            f"{result['test_ratings']} test ratings; rating model {result['rating_model']}, "
            f"ranking {result['ranking']})"
        )
