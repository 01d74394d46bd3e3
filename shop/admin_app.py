"""Django's admin app, with the project's admin site as the default (shop/admin_site.py)."""

from django.contrib.admin.apps import AdminConfig


class ShopAdminConfig(AdminConfig):
    default_site = "shop.admin_site.ShopAdminSite"
