"""Writes for customers: accounts, address book, wishlist, API tokens.

Every service is keyword-only and validates with full_clean() before saving; a problem the
customer can fix comes back as a django ValidationError keyed by field name.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Address, ApiToken, User, WishlistItem
from .signals import announce_wishlist_item_added

logger = logging.getLogger(__name__)

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
ADDRESS_FIELDS = (
    "full_name",
    "company",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "phone",
)


# --- Accounts ---------------------------------------------------------------------------------
def normalize_email(email: str) -> str:
    """E-mail addresses are stored lower-case, so sign-in and uniqueness ignore case."""
    return (email or "").strip().lower()


def _check_preferences(*, preferred_language: str, preferred_currency: str) -> dict:
    errors = {}
    if preferred_language and preferred_language not in LANGUAGE_CODES:
        errors["preferred_language"] = _("Choose one of the store's languages.")
    if preferred_currency and preferred_currency not in settings.SHOP_CURRENCIES:
        errors["preferred_currency"] = _("Choose one of the store's currencies.")
    return errors


def user_register(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "",
    preferred_currency: str = "",
) -> User:
    """Creates a customer account. Raises ValidationError (fields: email, password, ...)."""
    user = User(
        email=normalize_email(email),
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        preferred_language=preferred_language or "",
        preferred_currency=preferred_currency or "",
    )
    errors: dict = _check_preferences(
        preferred_language=user.preferred_language, preferred_currency=user.preferred_currency
    )
    try:
        # Validators compare the password with the e-mail and names, so they see the user.
        validate_password(password, user=user)
    except ValidationError as error:
        errors["password"] = error.messages
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        for field, field_errors in error.error_dict.items():
            if any(e.code == "unique" for e in field_errors):
                errors[field] = _("An account with this e-mail address already exists.")
            else:
                errors.setdefault(field, [m for e in field_errors for m in e.messages])
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Two sign-ups with one address at the same moment: the unique index decides.
        raise ValidationError(
            {"email": _("An account with this e-mail address already exists.")}
        ) from None
    return user


def customers_create_bulk(*, customers: list[dict]) -> list[User]:
    """Creates many customer accounts that cannot sign in (no usable password), in one query.

    For stores filled in bulk (the demo's customers): each dict holds `email`, `first_name`,
    `last_name` and optionally `date_joined`. E-mail addresses are normalised; one already in
    use is skipped, so a second run adds nothing. Every row is validated before any is written.
    """
    existing = {email.lower() for email in User.objects.values_list("email", flat=True)}
    users = []
    for fields in customers:
        email = normalize_email(fields["email"])
        if email.lower() in existing:
            continue
        existing.add(email.lower())
        user = User(
            email=email,
            first_name=(fields.get("first_name") or "").strip(),
            last_name=(fields.get("last_name") or "").strip(),
        )
        if fields.get("date_joined") is not None:
            user.date_joined = fields["date_joined"]
        user.set_unusable_password()
        user.full_clean(exclude=["password"], validate_unique=False)
        users.append(user)
    return User.objects.bulk_create(users)


def user_update_profile(
    *,
    user: User,
    first_name: str,
    last_name: str,
    preferred_language: str,
    preferred_currency: str,
) -> User:
    errors = _check_preferences(
        preferred_language=preferred_language, preferred_currency=preferred_currency
    )
    if errors:
        raise ValidationError(errors)
    user.first_name = (first_name or "").strip()
    user.last_name = (last_name or "").strip()
    user.preferred_language = preferred_language or ""
    user.preferred_currency = preferred_currency or ""
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "preferred_language", "preferred_currency"])
    return user


# --- API tokens -------------------------------------------------------------------------------
# A token's last use is written at most this often (seconds), not on every request.
API_TOKEN_TOUCH_SECONDS = 60


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewApiToken:
    token: ApiToken
    key: str  # shown to its owner once, never stored


def api_token_create(*, user: User, name: str = "") -> NewApiToken:
    """Makes a token for the user; expires after API_TOKEN_TTL_DAYS (0: never). Past
    API_TOKEN_MAX_PER_USER tokens, the least recently used ones are revoked."""
    name = (name or "").strip()[:100] or str(_("API token"))
    key = secrets.token_hex(20)
    ttl_days = getattr(settings, "API_TOKEN_TTL_DAYS", 0)
    token = ApiToken(
        user=user,
        name=name,
        digest=api_token_digest(key),
        prefix=key[:6],
        expires_at=timezone.now() + timedelta(days=ttl_days) if ttl_days > 0 else None,
    )
    token.full_clean(exclude=["user", "digest", "prefix"])
    with transaction.atomic():
        token.save()
        keep = max(1, getattr(settings, "API_TOKEN_MAX_PER_USER", 20))
        stale = list(
            ApiToken.objects.filter(user=user)
            .order_by(Coalesce("last_used_at", "created_at").desc(), "-pk")
            .values_list("pk", flat=True)[keep:]
        )
        if stale:
            ApiToken.objects.filter(pk__in=stale).delete()
    return NewApiToken(token=token, key=key)


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token with this key (its user loaded), or None (unknown or expired). Records
    the use, at most once a minute per token."""
    if not key or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= (
        API_TOKEN_TOUCH_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revokes one of the user's tokens; False when they have none with this id."""
    deleted, _rows = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def api_tokens_delete_expired(*, now=None) -> int:
    deleted, _rows = ApiToken.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


# --- Address book -----------------------------------------------------------------------------
def _address_fields(fields: dict) -> dict:
    unknown = set(fields) - set(ADDRESS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown address fields: {', '.join(sorted(unknown))}")
    return {
        name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()
    }


def _clear_default(*, user: User, keep: Address | None = None) -> None:
    # Locks the customer's row: two "make default" at the same moment take turns, so the
    # second clears the first's default instead of failing on the one-default constraint.
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    others = Address.objects.filter(user=user, is_default=True)
    if keep is not None and keep.pk:
        others = others.exclude(pk=keep.pk)
    others.update(is_default=False)


@transaction.atomic
def address_create(*, user: User, is_default: bool = False, **fields) -> Address:
    """Adds an address; the first one, or one marked default, becomes the default."""
    address = Address(user=user, **_address_fields(fields))
    # Locks the customer's row so two concurrent adds cannot both become the first default.
    User.objects.select_for_update().filter(pk=user.pk).first()
    has_default = Address.objects.filter(user=user, is_default=True).exists()
    address.is_default = bool(is_default) or not has_default
    if address.is_default:
        _clear_default(user=user)
    # After clearing, so the one-default constraint validates; an error rolls the clear back.
    address.full_clean()
    address.save()
    return address


@transaction.atomic
def address_update(*, address: Address, is_default: bool | None = None, **fields) -> Address:
    for name, value in _address_fields(fields).items():
        setattr(address, name, value)
    if is_default:
        address.is_default = True
    if address.is_default:
        _clear_default(user=address.user, keep=address)
    address.full_clean()
    address.save()
    return address


@transaction.atomic
def address_set_default(*, address: Address) -> Address:
    _clear_default(user=address.user, keep=address)
    address.is_default = True
    address.save(update_fields=["is_default"])
    return address


@transaction.atomic
def address_delete(*, address: Address) -> None:
    """Deletes an address; when it was the default, the newest remaining one takes over."""
    user, was_default = address.user, address.is_default
    address.delete()
    if was_default:
        successor = Address.objects.filter(user=user).order_by("-created_at", "-pk").first()
        if successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default"])


# --- Wishlist ---------------------------------------------------------------------------------
def wishlist_add(
    *,
    user: User,
    product,
    session_key: str = "",
    country: str = "",
    language: str = "",
) -> tuple[WishlistItem, bool]:
    """Puts the product on the customer's wishlist; (item, created). Adding twice is harmless."""
    item, created = WishlistItem.objects.get_or_create(user=user, product=product)
    if created:
        # The events app records it (an interaction event for the recommender).
        announce_wishlist_item_added(
            product_id=product.pk,
            user=user,
            session_key=session_key,
            country=country,
            language=language,
        )
    return item, created


def wishlist_remove(*, user: User, product) -> bool:
    """Takes the product off the customer's wishlist; False when it was not there."""
    deleted, _rows = WishlistItem.objects.filter(user=user, product=product).delete()
    return bool(deleted)


# --- Housekeeping -----------------------------------------------------------------------------
def anonymous_data_cleanup(*, now=None) -> dict:
    """Deletes what anonymous traffic leaves behind once it is of no more use: expired sessions
    (Django's clear_expired, as `manage.py clearsessions`) and expired API tokens. Returns how
    many of each went. (Guests' old interaction events are the events app's:
    events.services.anonymous_events_delete, its own nightly task.)"""
    from importlib import import_module

    from django.contrib.sessions.models import Session

    now = now or timezone.now()
    report = {}
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        report["sessions"], _rows = Session.objects.filter(expire_date__lt=now).delete()
    else:
        # Whatever the engine does (cache sessions expire by themselves); not counted.
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        report["sessions"] = 0
    report["api_tokens"] = api_tokens_delete_expired(now=now)
    return report
