"""`manage.py evaluate_assistant FILE.jsonl [--json] [--predictions OUT.jsonl]`: runs the
assistant's understanding (the same `understand()` as the live chat) on every line of a file.

Each line is a JSON object with "text" and optionally "language" (given to understand() as the
page's language) and "intent" (the expected one). Writes one prediction per input line, in
order, with intent, confidence, language (and low_confidence) to OUT.jsonl; prints accuracy per
language and out-of-scope precision and recall for the lines that have an intent (--json: the
same figures and the predictions as one JSON object). A malformed line stops with its number.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from ai.assistant.examples import DataFileError, parse_line
from ai.assistant.model import metrics_by_language
from ai.assistant.understanding import understand

from .train_assistant import metrics_table


def read_input(path: Path) -> list[dict]:
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise CommandError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}
        ) from None
    rows = []
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                row = parse_line(line, number=number, name=str(path), require_intent=False)
                if row is None:
                    raise DataFileError(
                        _("%(name)s, line %(number)d: empty line; every line needs a JSON object.")
                        % {"name": path, "number": number}
                    )
                rows.append(row)
        except UnicodeDecodeError as exc:
            raise CommandError(
                _("%(path)s is not UTF-8 text: %(error)s") % {"path": path, "error": exc}
            ) from None
        except DataFileError as exc:
            raise CommandError(str(exc)) from None
    return rows


class Command(BaseCommand):
    help = (
        "Run the shop assistant's understanding on a JSONL file (text, optional language and "
        "intent per line): predictions in order, accuracy per language, out-of-scope precision "
        "and recall."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_('JSONL file: one {"text": ...} a line'))
        parser.add_argument(
            "--json", action="store_true", help=_("print the figures and predictions as JSON")
        )
        parser.add_argument(
            "--predictions", type=Path, default=None, help=_("write one prediction a line here")
        )

    def handle(self, *args, **options):
        rows = read_input(options["file"])
        predictions = []
        for row in tqdm(
            rows,
            unit=_("lines"),
            file=self.stderr._out,
            disable=options["verbosity"] == 0 or options["json"],
            delay=1.0,
        ):
            understood = understand(row["text"], language_hint=row.get("language"))
            predictions.append(
                {
                    "intent": understood.intent,
                    "confidence": round(float(understood.confidence), 4),
                    "language": understood.language,
                    "low_confidence": understood.low_confidence,
                }
            )
        if options["predictions"]:
            try:
                with open(options["predictions"], "w", encoding="utf-8") as out:
                    for prediction in predictions:
                        out.write(json.dumps(prediction, ensure_ascii=False) + "\n")
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(path)s: %(error)s")
                    % {"path": options["predictions"], "error": exc}
                ) from None
        labelled = [index for index, row in enumerate(rows) if "intent" in row]
        figures = (
            metrics_by_language(
                [rows[i]["intent"] for i in labelled],
                [predictions[i]["intent"] for i in labelled],
                [rows[i].get("language") or predictions[i]["language"] for i in labelled],
            )
            if labelled
            else None
        )
        if options["json"]:
            report = {"lines": len(rows), "labelled": len(labelled), "predictions": predictions}
            if figures:
                report.update(figures)
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        lines = [
            _("%(lines)d lines understood, %(labelled)d with an expected intent.")
            % {"lines": len(rows), "labelled": len(labelled)}
        ]
        if figures:
            lines += ["", *metrics_table(figures["overall"], figures["per_language"])]
        if options["predictions"]:
            lines += ["", _("Predictions written to %(path)s.") % {"path": options["predictions"]}]
        self.stdout.write("\n".join(lines))
