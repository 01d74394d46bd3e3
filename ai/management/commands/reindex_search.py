"""`manage.py reindex_search [--full] [--language xx]`: embeds the products and rebuilds the
search index in this process, with a progress bar, recorded as an AI job and a search model
version like a rebuild started from the admin."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from ai.search.indexing import JOB_SEARCH_REINDEX
from shop.jobs import job_run_here
from shop.models import JobStatus


class Command(BaseCommand):
    help = (
        "Embed every product's text and rebuild the semantic search index. Without --full only "
        "texts that changed since they were embedded are embedded again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="Embed every text again, changed or not (after changing the embedding model).",
        )
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            metavar="CODE",
            help="Only this language (repeat for several): "
            + ", ".join(code for code, _name in settings.LANGUAGES),
        )

    def handle(self, *args, **options):
        codes = [code for code, _name in settings.LANGUAGES]
        languages = options["languages"]
        unknown = [code for code in languages or [] if code not in codes]
        if unknown:
            raise CommandError(
                _("Unknown language %(codes)s; choose from %(choices)s.")
                % {"codes": ", ".join(unknown), "choices": ", ".join(codes)}
            )
        bar = tqdm(
            total=None,
            unit=_("products"),
            file=self.stderr._out,
            disable=options["verbosity"] == 0,
            dynamic_ncols=True,
            delay=0.5,
        )

        def progress(done: int, total: int, message: str = "") -> None:
            if bar.total != total:
                bar.total = total
            bar.n = min(done, total)
            if message:
                bar.set_description_str(message, refresh=False)
            bar.refresh()

        try:
            job = job_run_here(
                kind=JOB_SEARCH_REINDEX,
                params={"full": options["full"], "languages": languages},
                progress=progress,
            )
        finally:
            bar.close()
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(
                _("Re-indexing failed (job %(id)s): %(message)s")
                % {"id": job.pk, "message": job.message or job.error[-500:]}
            )
        result = job.result or {}
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Indexed %(products)d products: %(embedded)d texts embedded, %(unchanged)d "
                    "unchanged, with %(backend)s (%(dimension)d-d) in the %(index)s index, in "
                    "%(seconds).1f s. Search model version %(version)s, job %(job)s."
                )
                % {
                    "products": result.get("products", 0),
                    "embedded": result.get("embedded", 0),
                    "unchanged": result.get("unchanged", 0),
                    "backend": result.get("backend", ""),
                    "dimension": result.get("dimension", 0),
                    "index": result.get("index", ""),
                    "seconds": result.get("seconds", 0.0),
                    "version": result.get("model_version", "?"),
                    "job": job.pk,
                }
            )
        )
