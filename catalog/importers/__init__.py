"""Catalog imports. The Shopify product CSV is the format merchants bring from other shops."""

from .shopify import ImportReport, RowError, import_shopify_csv

__all__ = ["ImportReport", "RowError", "import_shopify_csv"]
