"""`manage.py score_sentiment IN.csv OUT.csv`: scores the `text` column of a CSV with the
sentiment model in use and writes the rows back with `label` and `score` columns added."""

import csv
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ai.sentiment import scoring

BATCH = 256


class Command(BaseCommand):
    help = (
        "Score a CSV with a `text` column: writes it back with `label` (negative, neutral, "
        "positive) and `score` (-1 to 1) columns. Use - for standard input or output."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="CSV file with a header row and a `text` column.")
        parser.add_argument("output", help="Where to write the scored CSV.")
        parser.add_argument(
            "--aspects",
            action="store_true",
            help="Also add an `aspects` column (aspect:label pairs).",
        )

    def handle(self, *args, **options):
        rows, fields = self._read(options["input"])
        if "text" not in fields:
            raise CommandError(
                _("The file has no `text` column (columns: %(columns)s).")
                % {"columns": ", ".join(fields) or "—"}
            )
        extra = ["label", "score"] + (["aspects"] if options["aspects"] else [])
        out_fields = [name for name in fields if name not in extra] + extra
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            results = scoring.score_texts(
                [row.get("text") or "" for row in chunk], aspects=options["aspects"]
            )
            for row, result in zip(chunk, results, strict=True):
                row["label"] = result["label"]
                row["score"] = f"{result['score']:.4f}"
                if options["aspects"]:
                    row["aspects"] = " ".join(
                        f"{name}:{value['label']}" for name, value in result["aspects"].items()
                    )
        self._write(options["output"], rows, out_fields)
        if options["output"] != "-":
            self.stdout.write(
                self.style.SUCCESS(
                    _("Scored %(count)d rows into %(path)s.")
                    % {"count": len(rows), "path": options["output"]}
                )
            )

    def _read(self, name: str):
        try:
            if name == "-":
                text = sys.stdin.read()
            else:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(_("No such file: %(name)s") % {"name": name})
                text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(_("The file is not UTF-8 text.")) from exc
        try:
            reader = csv.DictReader(text.splitlines(keepends=True))
            rows = [dict(row) for row in reader]
        except csv.Error as exc:
            raise CommandError(
                _("The file is not a readable CSV: %(error)s") % {"error": exc}
            ) from exc
        return rows, list(reader.fieldnames or [])

    def _write(self, name: str, rows, fields) -> None:
        handle = sys.stdout if name == "-" else open(name, "w", encoding="utf-8", newline="")  # noqa: SIM115
        try:
            writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        finally:
            if handle is not sys.stdout:
                handle.close()
