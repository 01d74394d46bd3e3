"""`manage.py train_assistant`: trains the shop assistant's intent model in this process, with a
progress bar, and prints the metrics per language on the shipped eval examples. Recorded as an
AI job and an "assistant" model version like a training started from the admin; the new version
is activated only if it beats the model in use on the same eval examples."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ai.assistant.jobs import JOB_ASSISTANT_TRAIN
from ai.models import JobStatus
from shop.jobs import job_run_here
from shop.progress import percent_progress_bar


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.3f}"


def metrics_table(overall: dict, per_language: dict) -> list[str]:
    """Lines of a per-language table: accuracy, macro-F1, out-of-scope precision and recall."""
    header = (
        f"{_('language'):10} {'n':>5} {_('accuracy'):>9} {'macro-F1':>9} "
        f"{_('OOS prec.'):>10} {_('OOS recall'):>10}"
    )
    lines = [header]
    for language, values in sorted(per_language.items()):
        lines.append(
            f"{language:10} {values.get('examples', 0):>5} {_fmt(values.get('accuracy')):>9} "
            f"{_fmt(values.get('macro_f1')):>9} {_fmt(values.get('oos_precision')):>10} "
            f"{_fmt(values.get('oos_recall')):>10}"
        )
    lines.append(
        f"{_('all'):10} {overall.get('examples', 0):>5} {_fmt(overall.get('accuracy')):>9} "
        f"{_fmt(overall.get('macro_f1')):>9} {_fmt(overall.get('oos_precision')):>10} "
        f"{_fmt(overall.get('oos_recall')):>10}"
    )
    return lines


class Command(BaseCommand):
    help = (
        "Train the shop assistant's intent model on the shipped examples and the merchant's "
        "active training examples, measure it on the shipped eval examples and activate it if "
        "it is better than the model in use."
    )

    def handle(self, *args, **options):
        with percent_progress_bar(
            stream=self.stderr._out, enabled=options["verbosity"] != 0
        ) as progress:
            job = job_run_here(kind=JOB_ASSISTANT_TRAIN, progress=progress)
        if job.status != JobStatus.SUCCEEDED:
            error_lines = (job.error or "").strip().splitlines()
            raise CommandError(
                _("Training failed (job %(id)s): %(message)s")
                % {"id": job.pk, "message": error_lines[-1] if error_lines else job.message}
            )
        result = job.result or {}
        lines = [
            _(
                "Trained on %(train)d examples in %(seconds)s s, measured on %(eval)d eval "
                "examples; out-of-scope threshold %(threshold)s (calibrated on held-out "
                "training data)."
            )
            % {
                "train": result.get("train_examples", 0),
                "seconds": result.get("train_seconds", "?"),
                "eval": result.get("eval_examples", 0),
                "threshold": result.get("threshold"),
            },
            "",
            *metrics_table(result.get("metrics", {}), result.get("per_language", {})),
            "",
            _("Model in use (%(name)s): accuracy %(accuracy)s, macro-F1 %(f1)s.")
            % {
                "name": result.get("compared_with", ""),
                "accuracy": _fmt((result.get("compared_metrics") or {}).get("accuracy")),
                "f1": _fmt((result.get("compared_metrics") or {}).get("macro_f1")),
            },
        ]
        if result.get("activated"):
            lines.append(
                _("Assistant model version %(version)s is now active (job %(job)s).")
                % {"version": result.get("version"), "job": job.pk}
            )
        else:
            lines.append(
                _(
                    "Assistant model version %(version)s was recorded but not activated: "
                    "%(reason)s (job %(job)s)."
                )
                % {"version": result.get("version"), "reason": result.get("reason"), "job": job.pk}
            )
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
