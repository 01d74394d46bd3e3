"""`manage.py import_reviews FILE.csv`: imports reviews from another platform, all or nothing."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reviews.importer import import_reviews_csv
from reviews.models import ReviewStatus


class Command(BaseCommand):
    help = (
        "Import reviews from a CSV with columns product_handle, text, stars (required) and "
        "title, author, date, language (optional). All or nothing, with a report per row."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file to import, or - to read standard input.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file without saving anything."
        )
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Hold the imported reviews for moderation instead of publishing them.",
        )

    def handle(self, *args, **options):
        status = ReviewStatus.PENDING if options["pending"] else ReviewStatus.APPROVED
        name = options["file"]
        if name == "-":
            report = import_reviews_csv(
                file=sys.stdin.buffer, dry_run=options["dry_run"], status=status
            )
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(_("No such file: %(name)s") % {"name": name})
            with path.open("rb") as file:
                report = import_reviews_csv(file=file, dry_run=options["dry_run"], status=status)
        if not report.ok:
            raise CommandError(report.as_text())
        self.stdout.write(self.style.SUCCESS(report.as_text()))
