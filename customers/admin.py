from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from .models import Address, ApiToken, User, WishlistItem


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0
    fields = (
        ("full_name", "company"),
        ("line1", "line2"),
        ("postal_code", "city"),
        ("region", "country"),
        "phone",
        "is_default",
    )


class WishlistItemInline(admin.TabularInline):
    model = WishlistItem
    extra = 0
    fields = ("product", "created_at")
    readonly_fields = ("product", "created_at")
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")


# What only a superuser may set on an account.
RIGHTS_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = (
        "email",
        "first_name",
        "last_name",
        "preferred_language",
        "preferred_currency",
        "is_staff",
        "date_joined",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language", "groups")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Preferences"), {"fields": ("preferred_language", "preferred_currency")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "password1",
                    "password2",
                    "preferred_language",
                    "preferred_currency",
                ),
            },
        ),
    )
    inlines = (AddressInline, WishlistItemInline)

    def get_inlines(self, request, obj):
        # The add page has no customer yet to hang addresses on.
        return self.inlines if obj is not None else ()

    # --- who may give rights ----------------------------------------------------------------------
    # Django lets anyone with "change user" make a user staff or superuser, give any permission
    # or group, and set any account's password, their own way to every right in the shop. Here
    # only superusers do that; staff who may change users look after customers' accounts.
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [name for name in RIGHTS_FIELDS if name not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_staff and not request.user.is_superuser:
            return False  # nor their password: that would be signing in as them
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_staff and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("full_name", "user", "city", "country", "is_default", "created_at")
    # Only the countries that appear, not all 249.
    list_filter = (("country", CountryFilter), "is_default")
    search_fields = ("full_name", "user__email", "city", "postal_code", "line1")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(WishlistItem)
class WishlistItemAdmin(admin.ModelAdmin):
    list_display = ("user", "product_handle", "created_at")
    search_fields = ("user__email", "product__handle")
    list_select_related = ("user", "product")
    raw_id_fields = ("user", "product")
    date_hierarchy = "created_at"

    @admin.display(description=_("product"), ordering="product__handle")
    def product_handle(self, item: WishlistItem) -> str:
        # The handle, not the translated name: one query for the page, not one per row.
        return item.product.handle


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Who holds which API token, and since when it was used: staff may revoke (delete) one,
    e.g. for a customer who lost a device; nobody sees or makes a key here."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "name", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at")
    fields = readonly_fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
