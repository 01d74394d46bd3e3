"""The REST API's routes, read from Django's URL resolver (so new endpoints are swept too)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    pattern: str  # e.g. "api/v1/account/addresses/<int:address_id>/"
    view_class: type

    @property
    def parameters(self) -> list[str]:
        return [match["name"] for match in _PARAMETER.finditer(self.pattern)]

    @property
    def methods(self) -> list[str]:
        return [
            method
            for method in METHODS
            if method in self.view_class.http_method_names and hasattr(self.view_class, method)
        ]

    def url(self, **values) -> str:
        return "/" + _PARAMETER.sub(lambda match: str(values[match["name"]]), self.pattern)

    def needs_authentication(self) -> bool:
        from rest_framework.permissions import AllowAny

        view = self.view_class()
        return any(not isinstance(permission, AllowAny) for permission in view.get_permissions())

    def __str__(self) -> str:
        return "/" + self.pattern


def api_routes(prefix: str = "api/v1/") -> list[Route]:
    """Every DRF view routed under `prefix`."""
    found: list[Route] = []

    def walk(resolver, base: str) -> None:
        for entry in resolver.url_patterns:
            pattern = base + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, pattern)
            elif isinstance(entry, URLPattern):
                view_class = getattr(entry.callback, "cls", None)
                if view_class is not None and pattern.startswith(prefix):
                    found.append(Route(pattern, view_class))

    walk(get_resolver(), "")
    return found
