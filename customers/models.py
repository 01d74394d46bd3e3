from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class UserManager(BaseUserManager):
    """Users are identified by e-mail address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """The store's user: shoppers, the merchant's staff and translators alike."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    preferred_currency = models.CharField(_("preferred currency"), max_length=3, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        # set_password() leaves the new raw password in _password until the save; Django's
        # rehash on sign-in (a hasher upgrade) clears it first, so only a real change counts.
        # Every path (change and reset pages, admin, changepassword) revokes the API tokens:
        # whoever had the old password may have taken a token with it.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.filter(user=self).delete()


class Address(models.Model):
    """A postal address in the customer's address book; orders copy it when placed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    full_name = models.CharField(_("full name"), max_length=150)
    company = models.CharField(_("company"), max_length=150, blank=True)
    line1 = models.CharField(_("address line 1"), max_length=200)
    line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state / province / region"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = CountryField(_("country"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_default = models.BooleanField(_("default shipping address"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ("-is_default", "-created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="one_default_address_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.line1}, {self.city}, {self.country.code}"


class WishlistItem(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="wishlist_items")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wishlist item")
        verbose_name_plural = _("wishlist items")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["user", "product"], name="wishlist_unique_product")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.product_id}"


class ApiToken(models.Model):
    """A named API key of one user (`Authorization: Token <key>`).

    Only the key's SHA-256 is stored (a 160-bit random key needs no slow hash): the key is
    shown once, when made. A user may hold several (one per app or device), sees when each
    was last used, and revokes any of them; a password change revokes them all.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, so its owner can tell their tokens apart.
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["expires_at"], name="apitoken_expires")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
