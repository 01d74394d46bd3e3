"""Conversations with the shop assistant and their messages (issue 14).

A conversation belongs to a signed-in user or to a guest's session (`session_key`); sign-in
moves the session's conversations to the account. `context` holds what the dialogue needs
across turns (the last search, the proposed action, the order the shopper proved they own);
`status` says who answers: the assistant (`bot`) or a person (`open`, `assigned`), or nobody
(`closed`). Messages keep the intent, confidence and language the assistant understood, so the
admin can show them and the merchant can relabel a misunderstood one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConversationStatus(models.TextChoices):
    BOT = "bot", _("With the assistant")
    OPEN = "open", _("Waiting for a person")
    ASSIGNED = "assigned", _("Assigned")
    CLOSED = "closed", _("Closed")


class Sender(models.TextChoices):
    SHOPPER = "shopper", _("Shopper")
    ASSISTANT = "assistant", _("Assistant")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")


class Conversation(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistant_conversations",
    )
    session_key = models.CharField(_("session"), max_length=40, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    country = models.CharField(_("country"), max_length=2, blank=True)
    # The shopper's e-mail: the account's, or the one a guest proved with an order number.
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.BOT,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_assistant_conversations",
        limit_choices_to={"is_staff": True},
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    low_confidence_streak = models.PositiveSmallIntegerField(default=0)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("opened on product"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    # When the shopper last sent or fetched messages: a staff reply is e-mailed when this is
    # older than ASSISTANT_AWAY_MINUTES.
    shopper_seen_at = models.DateTimeField(_("shopper last seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["user", "-updated_at"])]
        # The inbox (assistant/admin.py): replying to shoppers, assigning and closing.
        permissions = [("reply_conversation", _("Can reply to shoppers in the assistant inbox"))]

    def __str__(self) -> str:
        return str(self.public_id)


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.CharField(_("sender"), max_length=10, choices=Sender.choices)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    intent = models.CharField(_("intent"), max_length=40, blank=True, db_index=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    # What the reply showed: product cards, proposed actions, help pages (lists of dicts).
    products = models.JSONField(_("products"), default=list, blank=True)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    help = models.JSONField(_("help"), default=list, blank=True)
    rating = models.SmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(1)],
    )
    # False when the assistant could not answer (out of scope, nothing found, unsure): the
    # merchant's "could not answer" list.
    answered = models.BooleanField(_("answered"), default=True, db_index=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__in=(-1, 0, 1)),
                name="assistant_message_rating_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_sender_display()}: {self.text[:60]}"
