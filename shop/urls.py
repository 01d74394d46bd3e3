from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

from . import views
from .rosetta import rosetta_urlpatterns

# Error pages in the storefront's layout and the visitor's language (shop/errors.py).
handler400 = "shop.errors.bad_request"
handler403 = "shop.errors.permission_denied"

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    # Review photos (outside the language prefix: a photo is the same file in every language)
    # and the reviews admin's addresses from before reviews were an app; before the admin.
    path("", include("reviews.root_urls")),
    # The events admin's addresses from before events were an app (issue 13); before the admin.
    path("", include("events.root_urls")),
    # The job list's addresses from before jobs moved to the kernel (issue 13); before the admin.
    re_path(r"^admin/ai/job(?:/(?P<rest>.*))?$", views.old_job_admin_address),
    # The exchange rates' addresses from before they moved to the kernel (issue 13).
    re_path(
        r"^admin/orders/exchangerate(?:/(?P<rest>.*))?$", views.old_exchange_rate_admin_address
    ),
    path("currency/", views.set_currency, name="set_currency"),
    path("admin/", admin.site.urls),
    # Translators reach the project's catalogues only (shop/rosetta.py).
    path("rosetta/", include(rosetta_urlpatterns())),
    path("api/", include("shop.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("catalog.root_urls")),
    path("", include("catalog.urls")),
    # The search page and its autocomplete (ai.views: the shopper side of ai.search).
    path("", include("ai.urls")),
    path("", include("reviews.urls")),
    path("account/", include("customers.urls")),
    path("", include("orders.urls")),
    path("", include("content.urls")),
    prefix_default_language=True,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
