"""Talking to the assistant in tests: one call per shopper message."""

from __future__ import annotations

from assistant import services

SESSION = "session-guest-1"


def start(*, user=None, session_key: str = SESSION, language: str = "en", **extra):
    return services.conversation_get_or_create(
        user=user, session_key="" if user else session_key, language=language, **extra
    )


def say(conversation, text: str, understanding, *, user=None, confirm: str = "", **extra):
    """The shopper sends `text`, understood as `understanding`; returns the TurnResult."""
    conversation.refresh_from_db()
    return services.assistant_reply(
        conversation=conversation,
        text=text,
        user=user,
        session_key="" if user else conversation.session_key,
        understanding=understanding,
        confirm=confirm,
        currency=extra.pop("currency", "USD"),
        **extra,
    )
