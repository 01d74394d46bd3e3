"""`manage.py import_design_references DIR [--set NAME]`: a folder of reference pictures into a
design set, one subfolder per category (rings/, necklaces/, art-deco/, ...).

The same checks as the admin's "Add pictures" (design.services): all or nothing. The report gives
the pictures added per category, the duplicates skipped and every bad file with its reason; the
exit status is non-zero when anything is wrong or nothing valid was found.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from design.services import import_design_references


class Command(BaseCommand):
    help = "Imports a folder of reference pictures (a subfolder per category) into a design set."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder whose subfolders name the categories.")
        parser.add_argument(
            "--set",
            dest="set_name",
            default="References",
            help="The design set to add to (made if missing). Default: References.",
        )

    def handle(self, *args, directory: str, set_name: str, **options):
        set_name = set_name.strip()[:120]
        if not set_name:
            raise CommandError("--set needs a name.")
        try:
            design_set, report = import_design_references(path=directory, set_name=set_name)
        except FileNotFoundError:
            raise CommandError(f"{directory} is not a folder.") from None
        for name, kept in report.duplicates.items():
            self.stdout.write(f"duplicate: {name} (same picture as {kept}), skipped")
        if not report.ok:
            for name, reason in report.errors.items():
                self.stderr.write(f"error: {name or directory}: {reason}")
            raise CommandError(
                f"{len(report.errors)} bad file(s) in {directory}; nothing was imported "
                "(all or nothing: fix or remove them and run again)."
            )
        counts = report.counts_by_category()
        for category, count in counts.items():
            self.stdout.write(f"{category}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.added)} picture(s) added to the set {design_set.name!r} "
                f"({len(counts)} categories), {len(report.duplicates)} duplicate(s) skipped."
            )
        )
