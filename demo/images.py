"""Drawing the demo products' pictures (catalog.drawing), in worker processes when there is
enough work to share.
"""

from __future__ import annotations

import io
import multiprocessing
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.drawing import render_product_views
from catalog.images import make_thumbnail_bytes
from catalog.vocabulary import GEMS
from demo.plan import ProductPlan
from demo.tables import IMAGE_SIZE

# =============================================================================================
# Drawing the pictures (runs in worker processes)
# =============================================================================================


@dataclass(frozen=True)
class ImageJob:
    seed: str
    category_slug: str
    style: str
    gem_hex: str | None
    gem_shape: str | None
    shots: tuple[tuple[str, int], ...]  # (metal colour, view)
    size: int = IMAGE_SIZE


def render_job(job: ImageJob) -> list[tuple[bytes, bytes, int, int]]:
    """JPEG original and WEBP thumbnail of each shot; each metal's piece is drawn once."""
    drawn: dict[str, list] = {}
    out = []
    for metal_hex, view in job.shots:
        if metal_hex not in drawn:
            views = 1 + max(v for m, v in job.shots if m == metal_hex)
            drawn[metal_hex] = render_product_views(
                seed=job.seed,
                category_slug=job.category_slug,
                metal_hex=metal_hex,
                gem_hex=job.gem_hex,
                size=job.size,
                gem_shape=job.gem_shape,
                style=job.style,
                views=views,
            )
        image = drawn[metal_hex][view]
        original = io.BytesIO()
        image.save(original, format="JPEG", quality=88)
        thumbnail = make_thumbnail_bytes(image, effort=1)
        out.append((original.getvalue(), thumbnail, image.width, image.height))
    return out


def _image_job(plan: ProductPlan) -> ImageJob:
    return ImageJob(
        seed=plan.handle,
        category_slug=plan.design.draw[0],
        style=plan.design.draw[1],
        gem_hex=GEMS[plan.gem].hex if plan.gem else None,
        gem_shape=plan.draw_shape,
        shots=tuple((image.metal_hex, image.view) for image in plan.images),
    )


def _render_all(jobs: list[ImageJob], processes: int) -> Iterable[list]:
    """Rendered jobs in order; in worker processes when there is enough work to share."""
    shots = sum(len(job.shots) for job in jobs)
    if processes > 1 and shots >= 60 and "fork" in multiprocessing.get_all_start_methods():
        # fork: the workers inherit the loaded code and settings and never touch the database.
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield from pool.imap(render_job, jobs, chunksize=4)
        return
    for job in jobs:
        yield render_job(job)
