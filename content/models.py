"""Store pages (shipping, returns, care, size guide, ...) and FAQ entries the merchant edits.

Both are translated with django-parler (one row per language; a missing language falls back to
English). Bodies and answers are rich text: sanitised on every write (shop.rich_text) and again
when shown (the `rich_text` filter). The shop assistant will later retrieve from these texts.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from shop.rich_text import RichTextField


class PageKind(models.TextChoices):
    SHIPPING = "shipping", _("Shipping")
    RETURNS = "returns", _("Returns")
    CARE = "care", _("Care guide")
    SIZE_GUIDE = "size_guide", _("Ring size guide")
    WARRANTY = "warranty", _("Warranty and authenticity")
    PAYMENT = "payment", _("Payment")
    CONTACT = "contact", _("Contact")
    ABOUT = "about", _("About us")
    OTHER = "other", _("Other")


class FaqTopic(models.TextChoices):
    """The page kinds, plus two topics that have no page of their own."""

    ORDERS = "orders", _("Orders")
    SHIPPING = "shipping", _("Shipping")
    RETURNS = "returns", _("Returns")
    CARE = "care", _("Care guide")
    SIZE_GUIDE = "size_guide", _("Ring size guide")
    WARRANTY = "warranty", _("Warranty and authenticity")
    PAYMENT = "payment", _("Payment")
    ACCOUNT = "account", _("Account")
    CONTACT = "contact", _("Contact")
    ABOUT = "about", _("About us")
    OTHER = "other", _("Other")


class StorePage(TranslatableModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PageKind.choices)
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=160),
        summary=models.CharField(
            _("summary"),
            max_length=300,
            blank=True,
            help_text=_("One or two plain sentences: shown under the title and in search results."),
        ),
        body=RichTextField(_("body"), blank=True),
    )

    class Meta:
        verbose_name = _("store page")
        verbose_name_plural = _("store pages")
        ordering = ("position", "slug")

    def __str__(self) -> str:
        return self.safe_translation_getter("title", any_language=True) or self.slug

    def get_absolute_url(self) -> str:
        return reverse("content:page", kwargs={"slug": self.slug})


class FaqEntry(TranslatableModel):
    topic = models.CharField(_("topic"), max_length=20, choices=FaqTopic.choices)
    page = models.ForeignKey(
        StorePage,
        verbose_name=_("related page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
    )
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = TranslatedFields(
        question=models.CharField(_("question"), max_length=300),
        answer=RichTextField(_("answer"), blank=True),
    )

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.safe_translation_getter("question", any_language=True) or f"FAQ {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("content:help") + f"#faq-{self.pk}"
