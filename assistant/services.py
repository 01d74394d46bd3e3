"""Writes of the shop assistant: conversations, the assistant's replies, handoff to a person,
staff replies (e-mailed to a shopper who has left), ratings, sign-in merge, closing.

Services take what they need as keyword arguments (the user, a session key string), never the
request. The dialogue itself (understand -> look up -> compose) is assistant.dialogue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ai import services as ai_services
from shop.events import after_commit

from . import dialogue, selectors
from .models import Conversation, ConversationStatus, Message, Sender

logger = logging.getLogger(__name__)

CLOSED = ConversationStatus.CLOSED
WITH_PEOPLE = (ConversationStatus.OPEN, ConversationStatus.ASSIGNED)


class ConversationNotFound(Exception):
    """No conversation with that id belongs to this shopper (someone else's looks the same)."""


def max_message_chars() -> int:
    return int(getattr(settings, "ASSISTANT_MAX_MESSAGE_CHARS", 1000))


def away_minutes() -> int:
    return int(getattr(settings, "ASSISTANT_AWAY_MINUTES", 5))


def _language(code: str | None) -> str:
    codes = {c for c, _name in settings.LANGUAGES}
    return code if code in codes else settings.LANGUAGE_CODE


def _is_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


# --- Conversations ----------------------------------------------------------------------------


def conversation_get_or_create(
    *,
    public_id=None,
    user=None,
    session_key: str = "",
    language: str = "",
    product=None,
    country: str = "",
) -> Conversation:
    """The shopper's conversation `public_id` (ConversationNotFound when it is not theirs), or a
    new one. A guest is known by their session key, a signed-in shopper by their account."""
    if public_id:
        conversation = selectors.conversation_for_owner(
            public_id=public_id, user=user, session_key=session_key
        )
        if conversation is None:
            raise ConversationNotFound(str(public_id))
        if product is not None and conversation.product_id != product.pk:
            conversation.product = product
            conversation.save(update_fields=["product", "updated_at"])
        return conversation
    if not _is_user(user) and not session_key:
        raise ValueError("A conversation belongs to a user or to a session.")
    country = selectors.user_country(user) or country
    conversation = Conversation(
        user=user if _is_user(user) else None,
        session_key="" if _is_user(user) else session_key[:40],
        language=_language(language),
        country=(country or "").upper()[:2],
        email=(user.email if _is_user(user) else "") or "",
        product=product,
    )
    conversation.full_clean()
    conversation.save()
    return conversation


@transaction.atomic
def conversation_merge_into_user(*, session_key: str, user) -> int:
    """Sign-in: the guest's conversations under `session_key` become the user's (the widget
    keeps showing them, and the merchant sees them with the account)."""
    if not session_key or not _is_user(user):
        return 0
    return Conversation.objects.filter(session_key=session_key, user__isnull=True).update(
        user=user, session_key="", email=user.email or ""
    )


def conversation_touch(*, conversation: Conversation) -> None:
    """The shopper is here (they sent or fetched messages): staff replies are not e-mailed."""
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(shopper_seen_at=now)
    conversation.shopper_seen_at = now


def _system_message(conversation: Conversation, text: str) -> Message:
    return Message.objects.create(
        conversation=conversation, sender=Sender.SYSTEM, text=text, language=conversation.language
    )


@transaction.atomic
def conversation_handoff(*, conversation: Conversation, note: str = "") -> Conversation:
    """Hands the conversation to people (the admin inbox lists it as open). Idempotent: a
    conversation already with people stays as it is."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status in WITH_PEOPLE:
        return conversation
    conversation.status = ConversationStatus.OPEN
    conversation.low_confidence_streak = 0
    conversation.save(update_fields=["status", "low_confidence_streak", "updated_at"])
    with translation.override(conversation.language):
        _system_message(conversation, note or _("The conversation was passed to the shop."))
    return conversation


@transaction.atomic
def conversation_assign(*, conversation: Conversation, staff) -> Conversation:
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    conversation.assigned_to = staff
    conversation.status = ConversationStatus.ASSIGNED
    conversation.save(update_fields=["assigned_to", "status", "updated_at"])
    return conversation


@transaction.atomic
def conversation_close(*, conversation: Conversation, by=None) -> Conversation:
    """Closes the conversation (idempotent); a new shopper message opens it again with the
    assistant."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == CLOSED:
        return conversation
    conversation.status = CLOSED
    conversation.save(update_fields=["status", "updated_at"])
    with translation.override(conversation.language):
        _system_message(conversation, _("The conversation was closed."))
    return conversation


# --- The assistant's turn ---------------------------------------------------------------------


@dataclass
class TurnResult:
    conversation: Conversation
    shopper_message: Message
    reply_message: Message | None  # None while people handle the conversation
    reply: dialogue.Reply | None
    handoff: bool


def _clean_text(text) -> str:
    if not isinstance(text, str) or "\x00" in text:
        raise ValidationError({"text": [_("Enter a valid message.")]})
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write a message.")]})
    if len(text) > max_message_chars():
        raise ValidationError(
            {
                "text": [
                    _("A message can be at most %(max)d characters long.")
                    % {"max": max_message_chars()}
                ]
            }
        )
    return text


def assistant_reply(
    *,
    conversation: Conversation,
    text: str,
    user=None,
    session_key: str = "",
    language: str = "",
    currency: str = "",
    confirm: str = "",
    understanding=None,
) -> TurnResult:
    """Stores the shopper's message and the assistant's reply (understand -> look up ->
    compose); hands over to people when the dialogue says so.

    `language` is the page's language: the fallback for messages too short to tell their own.
    `understanding` is for callers that already have one (evaluation); normally it is computed
    here with ai.services.assistant_understand. While people handle the conversation, the
    assistant stays quiet: the message waits for them in the inbox.
    """
    text = _clean_text(text)
    currency = currency or settings.SHOP_BASE_CURRENCY
    page_language = _language(language or conversation.language)
    if understanding is None:
        understanding = ai_services.assistant_understand(
            text, language_hint=page_language, currency=currency
        )
    message_language = dialogue.reply_language(understanding, conversation)
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        shopper_message = Message(
            conversation=conversation,
            sender=Sender.SHOPPER,
            text=text,
            language=message_language,
            intent=understanding.intent,
            confidence=float(understanding.confidence or 0),
        )
        shopper_message.save()
        now = timezone.now()
        conversation.shopper_seen_at = now
        conversation.language = message_language
        if conversation.status == CLOSED:
            conversation.status = ConversationStatus.BOT
        if conversation.status in WITH_PEOPLE:
            conversation.save(update_fields=["shopper_seen_at", "language", "updated_at"])
            return TurnResult(conversation, shopper_message, None, None, handoff=True)

        turn = dialogue.Turn(
            conversation=conversation,
            text=text,
            understanding=understanding,
            user=user if _is_user(user) else None,
            session_key=session_key,
            currency=currency,
            confirm=confirm or "",
        )
        reply, context = dialogue.respond(turn)
        shopper_message.intent = reply.intent if reply.intent else understanding.intent
        if not reply.answered:
            shopper_message.intent = shopper_message.intent or understanding.intent
        shopper_message.answered = reply.answered
        shopper_message.save(update_fields=["intent", "answered"])
        reply_message = Message.objects.create(
            conversation=conversation,
            sender=Sender.ASSISTANT,
            text=reply.text,
            language=reply.language,
            intent=reply.intent,
            confidence=reply.confidence,
            products=reply.products,
            actions=reply.actions,
            help=reply.help,
            answered=reply.answered,
        )
        if getattr(understanding, "low_confidence", False) and not reply.answered:
            conversation.low_confidence_streak += 1
        else:
            conversation.low_confidence_streak = 0
        conversation.context = context
        conversation.save()
        if reply.handoff:
            conversation = conversation_handoff(conversation=conversation)
    return TurnResult(conversation, shopper_message, reply_message, reply, handoff=reply.handoff)


def assistant_suggest_reply(*, conversation: Conversation, text: str, understanding=None):
    """What the assistant would answer to `text` in this conversation, for staff (the inbox's
    suggested reply): nothing is stored and no proposed action is carried out."""
    text = _clean_text(text)
    if understanding is None:
        understanding = ai_services.assistant_understand(
            text, language_hint=conversation.language, currency=settings.SHOP_BASE_CURRENCY
        )
    snapshot = Conversation.objects.get(pk=conversation.pk)  # the dialogue may touch fields
    turn = dialogue.Turn(
        conversation=snapshot,
        text=text,
        understanding=understanding,
        user=snapshot.user,
        session_key=snapshot.session_key,
        currency=settings.SHOP_BASE_CURRENCY,
        dry_run=True,
    )
    reply, _context = dialogue.respond(turn)
    return reply


# --- Staff ------------------------------------------------------------------------------------


def _shopper_email(conversation: Conversation) -> str:
    if conversation.user_id and conversation.user and conversation.user.email:
        return conversation.user.email
    return conversation.email


def _shopper_away(conversation: Conversation) -> bool:
    seen = conversation.shopper_seen_at
    return seen is None or seen < timezone.now() - timedelta(minutes=away_minutes())


def send_staff_reply_email(*, message_id: int) -> None:
    """E-mails a staff reply to the shopper in the conversation's language (after commit)."""
    message = (
        Message.objects.select_related("conversation", "conversation__user")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    conversation = message.conversation
    address = _shopper_email(conversation)
    if not address:
        return
    with translation.override(conversation.language):
        context = {
            "text": message.text,
            "shop_name": settings.SHOP_NAME,
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(
            render_to_string("emails/assistant/staff_reply_subject.txt", context).split()
        )
        body = render_to_string("emails/assistant/staff_reply.txt", context)
    EmailMessage(subject=subject, body=body, to=[address]).send()


@transaction.atomic
def conversation_staff_reply(*, conversation: Conversation, text: str, staff) -> Message:
    """A person from the shop answers: the message appears in the chat (the widget polls), and
    when the shopper has not been seen for ASSISTANT_AWAY_MINUTES it is also e-mailed to them,
    in their language, once the reply is committed."""
    text = _clean_text(text)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    message = Message.objects.create(
        conversation=conversation,
        sender=Sender.STAFF,
        text=text,
        language=conversation.language,
        staff_user=staff if _is_user(staff) else None,
    )
    if conversation.status != ConversationStatus.ASSIGNED or conversation.assigned_to_id is None:
        conversation.status = ConversationStatus.ASSIGNED
        if conversation.assigned_to_id is None and _is_user(staff):
            conversation.assigned_to = staff
    conversation.save(update_fields=["status", "assigned_to", "updated_at"])
    if _shopper_away(conversation) and _shopper_email(conversation):
        after_commit(send_staff_reply_email, message_id=message.pk)
    return message


# --- Ratings ----------------------------------------------------------------------------------


def message_rate(*, message: Message, rating: int) -> Message:
    """The shopper's thumbs up (1) or down (-1) on an assistant's answer; 0 takes it back."""
    if message.sender != Sender.ASSISTANT:
        raise ValidationError({"rating": [_("Only the assistant's answers can be rated.")]})
    if rating not in (-1, 0, 1):
        raise ValidationError({"rating": [_("A rating is 1 or -1.")]})
    message.rating = rating
    message.save(update_fields=["rating"])
    return message
