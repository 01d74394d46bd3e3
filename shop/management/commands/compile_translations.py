"""Compiles locale/*/LC_MESSAGES/*.po into .mo files with polib.

Django's compilemessages needs GNU gettext's msgfmt; this does the same from Python so
`make run` works on a machine without gettext installed. A translation that adds markup its
source string does not have (a `<script>` typed into a catalogue) is left out, with a warning.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

from shop.rosetta import entry_markup_problems


class Command(BaseCommand):
    help = "Compile the .po catalogues under LOCALE_PATHS into .mo files (no gettext needed)."

    def handle(self, *args, **options) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalogue = polib.pofile(str(po_path))
                for entry in catalogue.translated_entries():
                    problems = entry_markup_problems(entry)
                    if problems:
                        # Left out of the .mo: pages show the source string instead.
                        entry.flags.append("fuzzy")
                        self.stderr.write(
                            f"{po_path}: the translation of {entry.msgid[:60]!r} adds markup "
                            f"{problems}; left out."
                        )
                catalogue.save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
