"""`manage.py train_sentiment [--backend e5-finetune|ngram-logreg]`: trains the review
sentiment model on the store's rated reviews in this process (the foreground, not the training
queue), with a progress bar, and prints the held-out metrics. The backend is AI_SENTIMENT_BACKEND's
unless given. Recorded as a job and a sentiment model version like a training started from the
admin; the new version is activated only if it beats the model in use on the held-out reviews."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ai.sentiment.backends import TRAINING_BACKENDS, SentimentBackendError
from ai.sentiment.jobs import training_job_kind
from shop.jobs import job_run_here
from shop.models import JobStatus
from shop.progress import percent_progress_bar


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Train the review sentiment model on the store's rated reviews (1-2 stars negative, 3 "
        "neutral, 4-5 positive), measure it on held-out reviews and activate it if it is better."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            choices=TRAINING_BACKENDS,
            help=_(
                "e5-finetune: fine-tune the multilingual transformer (minutes to half an hour); "
                "ngram-logreg: the sentence encoder + character n-grams classifier (fast). "
                "Default: the AI_SENTIMENT_BACKEND setting."
            ),
        )

    def handle(self, *args, **options):
        try:
            kind = training_job_kind(options.get("backend"))
        except SentimentBackendError as exc:
            raise CommandError(str(exc)) from exc
        with percent_progress_bar(
            stream=self.stderr._out, enabled=options["verbosity"] != 0
        ) as progress:
            job = job_run_here(kind=kind, progress=progress)
        if job.status != JobStatus.SUCCEEDED:
            error_lines = (job.error or "").strip().splitlines()
            raise CommandError(
                _("Training failed (job %(id)s): %(message)s")
                % {"id": job.pk, "message": error_lines[-1] if error_lines else job.message}
            )
        result = job.result or {}
        metrics = result.get("metrics", {})
        compared = result.get("compared_metrics", {})
        lines = [
            _("Trained on %(train)d reviews, measured on %(test)d held-out reviews.")
            % {"train": result.get("train_reviews", 0), "test": result.get("test_reviews", 0)},
            "",
            f"{'':14} {'macro-F1':>9} {'binary acc':>11} {'n':>6}",
            f"{_('new model'):14} {_fmt(metrics.get('macro_f1')):>9} "
            f"{_fmt(metrics.get('binary_accuracy')):>11} {metrics.get('examples', 0):>6}",
            f"{result.get('compared_with', ''):14} {_fmt(compared.get('macro_f1')):>9} "
            f"{_fmt(compared.get('binary_accuracy')):>11} {compared.get('examples', 0):>6}",
        ]
        for language, values in sorted((result.get("per_language") or {}).items()):
            lines.append(
                f"  {language:12} {_fmt(values.get('macro_f1')):>9} "
                f"{_fmt(values.get('binary_accuracy')):>11} {values.get('examples', 0):>6}"
            )
        lines.append("")
        if result.get("steps"):
            lines.append(
                _("Fine-tuned for %(steps)d steps (resumed at step %(resumed)d).")
                % {"steps": result["steps"], "resumed": result.get("resumed_from_step", 0)}
                if result.get("resumed_from_step")
                else _("Fine-tuned for %(steps)d steps.") % {"steps": result["steps"]}
            )
        if result.get("activated"):
            lines.append(
                _("Sentiment model version %(version)s is now active (job %(job)s).")
                % {"version": result.get("version"), "job": job.pk}
            )
        else:
            lines.append(
                _(
                    "Sentiment model version %(version)s was recorded but not activated: it is "
                    "not better than %(current)s on the held-out reviews (job %(job)s)."
                )
                % {
                    "version": result.get("version"),
                    "current": result.get("compared_with", ""),
                    "job": job.pk,
                }
            )
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
