"""`manage.py import_ratings FILE [--dataset NAME] [--replace]`: loads external ratings
(MovieLens `u.data`, tab-separated, or CSV user,item,rating,timestamp) for offline evaluation
with `evaluate_recommender --dataset NAME`. All or nothing: a bad line stops the import and
every bad line is reported with its number and reason."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ai.recommend.evaluation import RatingsFileError
from ai.recommend.ratings import ratings_import


class Command(BaseCommand):
    help = (
        "Import a ratings file (MovieLens u.data or CSV user,item,rating,timestamp) into a "
        "named dataset, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The ratings file.")
        parser.add_argument(
            "--dataset", help="Name of the dataset (default: the file's name without extension)."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Empty the dataset before importing."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        dataset = options["dataset"] or path.stem
        try:
            report = ratings_import(path=path, dataset=dataset, replace=options["replace"])
        except RatingsFileError as exc:
            for number, reason in exc.errors:
                self.stderr.write(f"line {number}: {reason}" if number else reason)
            raise CommandError(f"Nothing imported: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report['imported']} ratings ({report['users']} users, "
                f"{report['items']} items) into dataset {report['dataset']!r}"
                + (f", replacing {report['replaced']}." if report["replaced"] else ".")
            )
        )
