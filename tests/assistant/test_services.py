"""Service-level flows: the handoff round trip (shopper -> staff reply -> shopper polling, an
e-mail when the shopper has left), ratings, closing, merging at sign-in, message limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from assistant import selectors, services
from assistant.models import Conversation, ConversationStatus, Sender

from .conftest import understood
from .helpers import say, start

pytestmark = pytest.mark.django_db


def test_handoff_round_trip_the_staff_reply_reaches_the_polling_shopper(
    merchant, django_capture_on_commit_callbacks
):
    conversation = start()
    say(conversation, "I need a person", understood("human_agent"))
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.OPEN
    last_seen = selectors.conversation_messages(conversation=conversation).last().pk

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.conversation_staff_reply(
            conversation=conversation, text="Hello, I am Claire. How can I help?", staff=merchant
        )

    new = list(selectors.conversation_messages(conversation=conversation, after=last_seen))
    assert [(m.sender, m.text) for m in new] == [
        (Sender.STAFF, "Hello, I am Claire. How can I help?")
    ]
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.ASSIGNED
    assert conversation.assigned_to == merchant
    assert reply.staff_user == merchant
    assert mail.outbox == []  # the shopper is still here (just wrote): no e-mail


def test_a_staff_reply_is_emailed_in_the_shoppers_language_when_they_left(
    customer, merchant, django_capture_on_commit_callbacks
):
    conversation = start(user=customer, language="fr")
    say(conversation, "je veux parler à quelqu'un", understood("human_agent", "fr"), user=customer)
    Conversation.objects.filter(pk=conversation.pk).update(
        shopper_seen_at=timezone.now() - timedelta(minutes=6)
    )
    conversation.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_staff_reply(
            conversation=conversation, text="Bonjour, votre bague part demain.", staff=merchant
        )

    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert "Bonjour, votre bague part demain." in email.body


def test_a_guest_gets_the_email_they_proved_with_an_order(
    guest_order, merchant, django_capture_on_commit_callbacks, settings
):
    settings.ASSISTANT_AWAY_MINUTES = 0
    conversation = start()
    say(
        conversation,
        "...",
        understood(
            "order_status", order_numbers=[guest_order.number], emails=["guest@example.com"]
        ),
    )
    conversation.refresh_from_db()
    services.conversation_handoff(conversation=conversation)
    Conversation.objects.filter(pk=conversation.pk).update(
        shopper_seen_at=timezone.now() - timedelta(seconds=1)
    )
    conversation.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_staff_reply(conversation=conversation, text="Hi!", staff=merchant)

    assert [m.to for m in mail.outbox] == [["guest@example.com"]]


def test_no_email_is_sent_for_a_guest_without_a_known_address(
    merchant, django_capture_on_commit_callbacks
):
    conversation = start()
    Conversation.objects.filter(pk=conversation.pk).update(shopper_seen_at=None)
    conversation.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_staff_reply(conversation=conversation, text="Hi!", staff=merchant)

    assert mail.outbox == []


def test_handoff_is_idempotent():
    conversation = start()
    services.conversation_handoff(conversation=conversation)
    services.conversation_handoff(conversation=conversation)

    assert conversation.messages.filter(sender=Sender.SYSTEM).count() == 1


def test_a_closed_conversation_opens_again_with_the_assistant():
    conversation = start()
    services.conversation_handoff(conversation=conversation)
    services.conversation_close(conversation=conversation)
    result = say(conversation, "hi", understood("greeting"))

    assert result.conversation.status == ConversationStatus.BOT
    assert result.reply_message is not None


def test_ratings_apply_to_assistant_answers_only():
    conversation = start()
    result = say(conversation, "hi", understood("greeting"))

    services.message_rate(message=result.reply_message, rating=-1)
    result.reply_message.refresh_from_db()
    assert result.reply_message.rating == -1
    with pytest.raises(ValidationError):
        services.message_rate(message=result.shopper_message, rating=1)
    with pytest.raises(ValidationError):
        services.message_rate(message=result.reply_message, rating=5)


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001, "a\x00b"])
def test_bad_messages_are_refused(text):
    with pytest.raises(ValidationError):
        say(start(), text, understood("greeting"))


def test_merge_moves_the_guests_conversations_to_the_user(customer):
    mine = start(session_key="guest-key")
    other = start(session_key="other-key")

    moved = services.conversation_merge_into_user(session_key="guest-key", user=customer)

    mine.refresh_from_db()
    other.refresh_from_db()
    assert moved == 1
    assert mine.user == customer
    assert mine.email == "alice@example.com"
    assert other.user is None


def test_a_conversation_of_someone_else_is_not_found(customer, other_customer):
    conversation = start(user=customer)

    with pytest.raises(services.ConversationNotFound):
        services.conversation_get_or_create(public_id=conversation.public_id, user=other_customer)
    with pytest.raises(services.ConversationNotFound):
        services.conversation_get_or_create(
            public_id=conversation.public_id, session_key="anything"
        )


def test_a_suggested_reply_for_staff_changes_nothing(customer, alice_order):
    conversation = start(user=customer)
    say(
        conversation,
        "cancel",
        understood("order_cancel", order_numbers=[alice_order.number]),
        user=customer,
    )
    conversation.refresh_from_db()
    messages = conversation.messages.count()

    reply = services.assistant_suggest_reply(
        conversation=conversation, text="yes", understanding=understood("x", low=True)
    )

    alice_order.refresh_from_db()
    assert reply.text
    assert alice_order.status == "paid"
    assert conversation.messages.count() == messages
