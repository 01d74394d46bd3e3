"""Rosetta (the translators' UI strings editor), within what translators may do.

- Translators edit the project's catalogues only: Rosetta also lists Django's and third-party
  apps' catalogues (files inside the installed packages, shared by every site on the machine and
  lost on the next upgrade); those are for superusers.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, re_path

PROJECT_FILTER = "project"


def _project_catalogues_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        po_filter = kwargs.get("po_filter", PROJECT_FILTER)
        if po_filter != PROJECT_FILTER and not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def rosetta_urlpatterns() -> list[URLPattern]:
    """Rosetta's URLs, each refusing other catalogues than the project's to non-superusers."""
    from rosetta import urls

    return [
        re_path(
            pattern.pattern.regex.pattern,
            _project_catalogues_only(pattern.callback),
            name=pattern.name,
        )
        for pattern in urls.urlpatterns
    ]
