"""`manage.py train_design_gan [--set NAME] [--epochs N] [--size 64]`: trains the design GAN on
a design set in this process (the foreground, not the design queue), with a progress bar.

Recorded like a training started from the admin (a DesignTraining run, its Job, a design
ModelVersion, activated), with its sample grids in DESIGN_MODEL_DIR/run-<id>/samples/.
Without --set, the only set there is (or the command says which sets there are).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from design.jobs import (
    GAN_SIZES,
    JOB_DESIGN_TRAIN,
    TrainingError,
    design_training_create,
    run_dir,
    training_params,
)
from design.models import DesignSet, DesignTraining
from shop.jobs import job_run_here
from shop.models import JobStatus
from shop.progress import percent_progress_bar


class Command(BaseCommand):
    help = "Train the design GAN on a design set in the foreground, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="set_name", help=_("The design set's name."))
        parser.add_argument(
            "--epochs",
            type=int,
            default=settings.DESIGN_GAN_EPOCHS,
            help=_("Passes over the pictures (default: DESIGN_GAN_EPOCHS)."),
        )
        parser.add_argument(
            "--size",
            type=int,
            choices=GAN_SIZES,
            default=settings.DESIGN_GAN_SIZE,
            help=_("Side of the pictures in pixels (default: DESIGN_GAN_SIZE)."),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=settings.DESIGN_GAN_BATCH_SIZE,
            help=_("Pictures per step (default: DESIGN_GAN_BATCH_SIZE)."),
        )
        parser.add_argument("--seed", type=int, default=0, help=_("Random seed."))

    def _design_set(self, name: str | None) -> DesignSet:
        if name:
            design_set = DesignSet.objects.filter(name=name).first()
            if design_set is None:
                raise CommandError(_("There is no design set named %(name)r.") % {"name": name})
            return design_set
        sets = list(DesignSet.objects.order_by("name")[:21])
        if len(sets) == 1:
            return sets[0]
        if not sets:
            raise CommandError(_("There is no design set yet."))
        raise CommandError(
            _("Choose a set with --set: %(names)s") % {"names": ", ".join(s.name for s in sets)}
        )

    def handle(self, *args, **options):
        design_set = self._design_set(options["set_name"])
        try:
            training = design_training_create(
                design_set=design_set,
                epochs=options["epochs"],
                size=options["size"],
                batch_size=options["batch_size"],
                seed=options["seed"],
            )
        except TrainingError as exc:
            raise CommandError(str(exc)) from exc
        with percent_progress_bar(
            stream=self.stderr._out, enabled=options["verbosity"] != 0
        ) as progress:
            job = job_run_here(
                kind=JOB_DESIGN_TRAIN, params=training_params(training), progress=progress
            )
        DesignTraining.objects.filter(pk=training.pk).update(job=job)
        if job.status != JobStatus.SUCCEEDED:
            error_lines = (job.error or "").strip().splitlines()
            raise CommandError(
                _("Training failed (job %(id)s): %(message)s")
                % {"id": job.pk, "message": error_lines[-1] if error_lines else job.message}
            )
        result = job.result or {}
        self.stdout.write(
            _(
                "Trained design model v%(version)s on %(set)s: %(size)dpx, %(epochs)d epochs in "
                "%(seconds).0f s (D %(d).2f, G %(g).2f). Samples: %(samples)s"
            )
            % {
                "version": result.get("version"),
                "set": design_set.name,
                "size": training.size,
                "epochs": training.epochs,
                "seconds": result.get("seconds") or 0,
                "d": result.get("d_loss") or 0,
                "g": result.get("g_loss") or 0,
                "samples": run_dir(training) / "samples",
            }
        )
