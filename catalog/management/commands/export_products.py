"""`manage.py export_products [--format shopify] [FILE|-]`: writes the catalogue as a CSV."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.exporters import export_shopify_csv
from catalog.models import Product


class Command(BaseCommand):
    help = "Export products as a Shopify product CSV (to a file, or to standard output)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default="-", help="Where to write the CSV; - (default) is stdout."
        )
        parser.add_argument(
            "--format",
            choices=["shopify"],
            default="shopify",
            help="The file format (only Shopify's product CSV for now).",
        )
        parser.add_argument(
            "--handle",
            action="append",
            dest="handles",
            metavar="HANDLE",
            help="Export only this product (repeat the option for several).",
        )

    def handle(self, *args, **options):
        handles = options["handles"]
        name = options["file"]
        if handles:
            missing = sorted(
                set(handles)
                - set(Product.objects.filter(handle__in=handles).values_list("handle", flat=True))
            )
            if missing:
                raise CommandError(
                    _("No product with the handle: %(handles)s") % {"handles": ", ".join(missing)}
                )
        if name == "-":
            # self.stdout in tests (call_command(stdout=...)), the real stdout otherwise.
            out = self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout
            count = export_shopify_csv(out=out, handles=handles)
        else:
            path = Path(name)
            if not path.parent.is_dir():
                raise CommandError(_("No such folder: %(path)s") % {"path": path.parent})
            with path.open("w", encoding="utf-8", newline="") as out:
                count = export_shopify_csv(out=out, handles=handles)
        if name != "-":
            self.stderr.write(
                ngettext(
                    "Exported %(count)s product to %(name)s.",
                    "Exported %(count)s products to %(name)s.",
                    count,
                )
                % {"count": count, "name": name}
            )
