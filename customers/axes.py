"""django-axes' hook (AXES_USERNAME_CALLABLE): axes calls it with the sign-in request, so it
lives here, beside the sign-in, not among the services (which never take a request)."""

from __future__ import annotations

from .services import normalize_email


def axes_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the e-mail address a sign-in attempt is for, lower-cased.

    Django's own forms (the admin's sign-in) pass it as `username`, ours as `email`; without
    this, django-axes would count every admin failure from one address under no name.
    """
    for source in (credentials or {}, getattr(request, "POST", {}) or {}):
        for key in ("email", "username"):
            value = source.get(key)
            if isinstance(value, str) and value:
                return normalize_email(value)
    return None
