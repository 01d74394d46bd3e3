"""Event addresses outside the language prefix (included by shop/urls.py before the admin).

- /admin/customers/interactionevent/...: where the events admin was before events became an
  app of their own (issue 13); bookmarks are sent on to /admin/events/interactionevent/...
  with the same rest of the path and query string.
"""

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^admin/customers/(?P<rest>interactionevent/.*)$", views.old_admin_address),
]
