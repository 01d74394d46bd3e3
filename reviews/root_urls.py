"""Review addresses outside the language prefix (included by shop/urls.py before the admin).

- /reviews/photos/<id>/: a photo is the same file in every language.
- /admin/catalog/review/...: where the reviews admin was before reviews became an app of their
  own (issue 13); merchants' bookmarks and links in old e-mails are sent on to
  /admin/reviews/review/... with the same rest of the path and query string.
"""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("reviews/photos/<int:pk>/", views.review_photo, name="review_photo"),
    re_path(r"^admin/catalog/(?P<rest>review/.*)$", views.old_admin_address),
]
