"""Import of reviews from another platform: a CSV with `product_handle`, `text`, `stars`
(required) and `title`, `author`, `date`, `language` (optional).

All or nothing, like the Shopify product import: every row is checked first and each problem is
reported with its line number (the header is line 1); only a file without a single problem is
written, in one transaction. A row identical to a review already in the store (same product,
author and text) is skipped, so importing a file twice does not duplicate it. Imported reviews
are published (they were public on the old platform) unless `status` says otherwise or they
look like spam; their sentiment is scored by one background job afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.importers.shopify import RowError, _decode, _FileProblem, _read_bytes, _records
from catalog.models import Product
from reviews.models import Review, ReviewStatus

from . import services
from .signals import announce_reviews_saved

REQUIRED = ("product_handle", "text", "stars")
OPTIONAL = ("title", "author", "date", "language")
MAX_TEXT = 5000


@dataclass
class ReviewImportReport:
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    skipped: int = 0
    flagged: int = 0
    review_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, line: int | None, column: str, message: Any) -> None:
        self.errors.append(RowError(line, column, str(message)))

    def as_text(self) -> str:
        if not self.ok:
            lines = [
                ngettext(
                    "The import found %(n)s problem; nothing was saved.",
                    "The import found %(n)s problems; nothing was saved.",
                    len(self.errors),
                )
                % {"n": len(self.errors)}
            ]
            lines += [f"  {error}" for error in sorted(self.errors, key=lambda e: e.line or 0)]
            return "\n".join(lines)
        counts = _(
            "%(created)s reviews imported, %(skipped)s already in the store, %(flagged)s held "
            "for moderation as possible spam."
        ) % {"created": self.created, "skipped": self.skipped, "flagged": self.flagged}
        if self.dry_run:
            return str(_("Dry run, nothing was saved. The import would give: %(counts)s")) % {
                "counts": counts
            }
        return str(_("Import done: %(counts)s")) % {"counts": counts}


def _parse_date(value: str):
    value = value.strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is None:
                raise ValueError
            parsed = datetime.combine(day, time(12, 0))
    except ValueError:
        raise ValueError from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    if parsed > timezone.now() + timezone.timedelta(days=1):
        raise ValueError
    return parsed


def import_reviews_csv(
    *, file: IO[bytes] | Any, dry_run: bool = False, status: str | None = ReviewStatus.APPROVED
) -> ReviewImportReport:

    report = ReviewImportReport(dry_run=dry_run)
    try:
        text = _decode(_read_bytes(file))
        records = list(_records(text))
    except _FileProblem as problem:
        report.add_error(problem.line, "", problem.message)
        return report
    if not records:
        report.add_error(None, "", _("The file is empty."))
        return report
    _line, header = records[0]
    columns = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        report.add_error(
            1,
            "",
            _("Missing required columns: %(columns)s (the header must name %(required)s).")
            % {"columns": ", ".join(missing), "required": ", ".join(REQUIRED)},
        )
        return report
    index = {name: columns.index(name) for name in REQUIRED + OPTIONAL if name in columns}
    language_codes = {code for code, _name in settings.LANGUAGES}
    aliases = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh_hans": "zh-hans"}

    parsed = []
    handles = set()
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        report.rows += 1

        def cell(name: str, cells=cells) -> str:
            position = index.get(name)
            if position is None or position >= len(cells):
                return ""
            return cells[position].replace("\x00", "").strip()

        errors_before = len(report.errors)
        handle = cell("product_handle")
        if not handle:
            report.add_error(line, "product_handle", _("The product handle is empty."))
        handles.add(handle)
        body = cell("text")
        if not body:
            report.add_error(line, "text", _("The review text is empty."))
        elif len(body) > MAX_TEXT:
            report.add_error(
                line, "text", _("The text is longer than %(max)s characters.") % {"max": MAX_TEXT}
            )
        stars_text = cell("stars")
        try:
            stars = int(float(stars_text))
            if str(stars) != stars_text and float(stars_text) != stars:
                raise ValueError
            if not 1 <= stars <= 5:
                raise ValueError
        except (ValueError, OverflowError):
            stars = None
            report.add_error(
                line,
                "stars",
                _("“%(value)s” is not a star rating from 1 to 5.") % {"value": stars_text[:20]},
            )
        try:
            created_at = _parse_date(cell("date"))
        except ValueError:
            created_at = None
            report.add_error(
                line,
                "date",
                _("“%(value)s” is not a date (use YYYY-MM-DD), or it is in the future.")
                % {"value": cell("date")[:40]},
            )
        language = cell("language").lower()
        language = aliases.get(language, language)
        if language and language not in language_codes:
            report.add_error(
                line,
                "language",
                _("Unknown language “%(value)s”; use one of %(codes)s.")
                % {"value": language[:20], "codes": ", ".join(sorted(language_codes))},
            )
        title = cell("title")
        if len(title) > 200:
            report.add_error(line, "title", _("The title is longer than 200 characters."))
        if len(report.errors) == errors_before:
            parsed.append(
                (line, handle, body, stars, title, cell("author")[:120], created_at, language)
            )

    products = {product.handle: product for product in Product.objects.filter(handle__in=handles)}
    for line, handle, *_rest in parsed:
        if handle not in products:
            report.add_error(
                line, "product_handle", _("There is no product “%(handle)s”.") % {"handle": handle}
            )
    if not report.ok:
        return report

    existing = set(
        Review.objects.filter(product__in=products.values()).values_list(
            "product_id", "author_name", "text"
        )
    )
    with transaction.atomic():
        for line, handle, body, stars, title, author, created_at, language in parsed:
            product = products[handle]
            key = (product.pk, author, body)
            if key in existing:
                report.skipped += 1
                continue
            existing.add(key)
            try:
                review = services.review_create(
                    product=product,
                    rating=stars,
                    text=body,
                    title=title,
                    author_name=author,
                    language=language,
                    created_at=created_at,
                    status=status,
                    score=False,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    report.add_error(line, "", message)
                continue
            report.created += 1
            report.flagged += int(review.is_flagged)
            report.review_ids.append(review.pk)
        if not report.ok or dry_run:
            transaction.set_rollback(True)
            report.review_ids = []
            if not report.ok:
                report.created = report.skipped = report.flagged = 0
            return report
        if report.review_ids:
            announce_reviews_saved(review_ids=report.review_ids)
    return report
