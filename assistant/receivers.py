"""What the assistant listens to: sign-in moves the guest's conversations to the account."""

from __future__ import annotations

# Django gives the session a new key at sign-in (cycle_key) before user_logged_in is sent, so
# the API remembers, inside the session's data (which survives the new key), the key(s) the
# guest chatted under.
SESSION_KEYS_FIELD = "assistant_session_keys"


def merge_conversations_at_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: the conversations of the session being signed in follow the user."""
    from .services import conversation_merge_into_user

    session = getattr(request, "session", None) if request is not None else None
    if session is None or user is None:
        return
    keys = {key for key in (session.get(SESSION_KEYS_FIELD) or []) if isinstance(key, str)}
    if session.session_key:
        keys.add(session.session_key)
    for key in sorted(keys):
        conversation_merge_into_user(session_key=key, user=user)
