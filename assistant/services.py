"""Writes of the shop assistant (filled in below)."""

from __future__ import annotations

from django.db import transaction

from .models import Conversation


@transaction.atomic
def conversation_merge_into_user(*, session_key: str, user) -> int:
    """Sign-in: the guest's conversations under `session_key` become the user's."""
    if not session_key:
        return 0
    return Conversation.objects.filter(session_key=session_key, user__isnull=True).update(
        user=user, email=getattr(user, "email", "") or ""
    )
