"""`manage.py generate_designs --category rings --count 64 --out DIR [--seed S] [--diversity D]`:
design drafts as PNG files, drawn by the active design model (or --model-version N).

Several categories (`--category` repeated, or a comma list) get a subfolder each; one category
writes into DIR itself. Files are named <category>-<seed>-<position>.png: the same seed,
diversity and model draw the same pictures again (the admin's "Generate drafts" with that seed
gives the same drafts). Nothing is stored in the database. TensorFlow is loaded here: run it
where the design worker runs.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from PIL import Image

from ai.services import ModelVersion
from design import drafting
from design import latents as latent_space
from design.drafts import DraftError


class Command(BaseCommand):
    help = "Draws design drafts with the active design model and writes them as PNG files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--category",
            action="append",
            required=True,
            help="A category the model learnt (repeat it, or a comma list, for several).",
        )
        parser.add_argument("--count", type=int, default=16, help="Drafts per category.")
        parser.add_argument("--out", required=True, help="The folder to write to.")
        parser.add_argument("--seed", type=int, default=None, help="Default: a new seed.")
        parser.add_argument(
            "--diversity", type=float, default=1.0, help="0 (typical) to 2 (bold); default 1."
        )
        parser.add_argument(
            "--model-version",
            type=int,
            default=None,
            help="The design model's version number (default: the active one).",
        )

    def handle(self, *args, category, count, out, seed, diversity, model_version, **options):
        seed = seed if seed is not None else secrets.randbelow(2**31)
        try:
            version_id = None
            if model_version is not None:
                found = ModelVersion.objects.filter(
                    capability=drafting.CAPABILITY, version=model_version
                ).first()
                if found is None:
                    raise DraftError(f"There is no design model version {model_version}.")
                version_id = found.pk
            version = drafting.design_model(version_id)
            generator = drafting.generator_for(version)
            categories = drafting.check_categories(generator, drafting.parse_categories(category))
            count = drafting.check_count(count, most=settings.DESIGN_MAX_DRAFTS)
            latents = latent_space.latents_for(
                seed=seed, count=count, latent_dim=generator.latent_dim, diversity=diversity
            )
        except (DraftError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        root = Path(out)
        written = 0
        for name in categories:
            folder = root / name if len(categories) > 1 else root
            folder.mkdir(parents=True, exist_ok=True)
            pictures = drafting.draw(generator, categories=[name] * count, latents=latents)
            for position, pixels in enumerate(pictures):
                Image.fromarray(pixels).save(folder / f"{name}-{seed}-{position:03d}.png")
                written += 1
            self.stdout.write(f"{name}: {count} drafts in {folder}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{written} PNG file(s) written with {version} (seed {seed}, "
                f"diversity {diversity})."
            )
        )
