"""API-wide pieces: the JSON error format every endpoint shares."""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, with every error carried as {"error": message, "detail": ...}."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "error" not in response.data:
        message = response.data.get("detail") if "detail" in response.data else None
        response.data = {"error": str(message or "Invalid request."), "detail": response.data}
    return response
