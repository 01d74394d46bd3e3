"""Prints, per language, how much of the UI and of the catalog is translated."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.translation_coverage import Coverage, option_missing, translation_coverage
from shop.translation_coverage import coverage_columns


def _cell(coverage: Coverage) -> str:
    return f"{coverage.percent:5.1f}% ({coverage.done}/{coverage.total})"


class Command(BaseCommand):
    help = (
        "Per language: translated UI strings and each app's content (products, categories, "
        "collections, variant option names and values, store pages, FAQ entries...)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--missing",
            metavar="LANGUAGE",
            help="Also list the option names and values still shown in the source text there.",
        )

    def handle(self, *args, **options) -> None:
        language = options.get("missing")
        if language and language not in dict(settings.LANGUAGES):
            raise CommandError(f"Unknown language {language!r}.")
        columns = ["language", "UI"] + [str(c.label).lower() for c in coverage_columns()]
        self.stdout.write("  ".join(f"{name:<22}" for name in columns).rstrip())
        for row in translation_coverage():
            cells = [f"{row.code} ({row.name})"] + [_cell(coverage) for coverage in row.cells]
            self.stdout.write("  ".join(f"{cell:<22}" for cell in cells).rstrip())
        if language:
            missing = option_missing(language)
            for kind, heading in (("name", "option names"), ("value", "option values")):
                self.stdout.write(
                    f"\n{heading} not translated into {language}: {len(missing[kind])}"
                )
                for text in missing[kind]:
                    self.stdout.write(f"  {text}")
