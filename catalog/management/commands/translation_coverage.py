"""Prints, per language, how much of the UI and of the catalog is translated."""

from django.core.management.base import BaseCommand

from catalog.translation_coverage import Coverage, translation_coverage


def _cell(coverage: Coverage) -> str:
    return f"{coverage.percent:5.1f}% ({coverage.done}/{coverage.total})"


class Command(BaseCommand):
    help = (
        "Per language: translated UI strings and products, categories, collections, store pages "
        "and FAQ entries."
    )

    def handle(self, *args, **options) -> None:
        columns = ("language", "UI", "products", "categories", "collections", "pages", "FAQ")
        self.stdout.write("  ".join(f"{name:<22}" for name in columns).rstrip())
        for row in translation_coverage():
            cells = [f"{row.code} ({row.name})"] + [
                _cell(coverage)
                for coverage in (
                    row.ui,
                    row.products,
                    row.categories,
                    row.collections,
                    row.pages,
                    row.faq,
                )
            ]
            self.stdout.write("  ".join(f"{cell:<22}" for cell in cells).rstrip())
