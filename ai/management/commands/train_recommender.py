"""`manage.py train_recommender`: trains the recommender and precomputes every list in this
process, recorded as an AI job and a ModelVersion like a run started from the admin."""

import json

from django.core.management.base import BaseCommand, CommandError

from ai.recommend.jobs import JOB_RECOMMEND_TRAIN
from shop.jobs import job_run_here
from shop.models import JobStatus


class Command(BaseCommand):
    help = "Train the recommender and precompute the recommendation lists now."

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0

        def progress(done: int, total: int, message: str = "") -> None:
            if verbose and message:
                self.stderr.write(f"{int(done * 100 / total) if total else 0:3d}% {message}")

        job = job_run_here(kind=JOB_RECOMMEND_TRAIN, progress=progress)
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(f"Training failed: {job.message}\n{job.error}")
        self.stdout.write(json.dumps(job.result, indent=2, sort_keys=True))
