"""`manage.py import_products --format shopify FILE`: imports a product CSV, all or nothing."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from catalog.importers import import_shopify_csv


class Command(BaseCommand):
    help = (
        "Import products from a Shopify product CSV (all or nothing). Products in the file are "
        "created or updated by handle; products not in the file are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file to import, or - to read standard input.")
        parser.add_argument(
            "--format",
            choices=["shopify"],
            default="shopify",
            help="The file format (only Shopify's product CSV for now).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print what would change, without saving anything.",
        )

    def handle(self, *args, **options):
        name = options["file"]
        if name == "-":
            report = import_shopify_csv(file=sys.stdin.buffer, dry_run=options["dry_run"])
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(_("No such file: %(name)s") % {"name": name})
            with path.open("rb") as file:
                report = import_shopify_csv(file=file, dry_run=options["dry_run"])
        if not report.ok:
            raise CommandError(report.as_text())
        self.stdout.write(self.style.SUCCESS(report.as_text()))
