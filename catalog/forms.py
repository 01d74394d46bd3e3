"""The listing filter form: parses the shareable GET parameters of a product listing.

Anything a shopper (or a crawler) can type in the address bar lands here, so every field is
forgiving: unknown values are dropped, malformed ones become a message, never an error page.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SORT_FEATURED, SORT_NEWEST, SORT_PRICE_ASC, SORT_PRICE_DESC

SORT_CHOICES = [
    (SORT_FEATURED, _("Featured")),
    (SORT_NEWEST, _("Newest")),
    (SORT_PRICE_ASC, _("Price: low to high")),
    (SORT_PRICE_DESC, _("Price: high to low")),
]

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,120}$")
# More values than any facet has options is someone fiddling with the URL.
_MAX_VALUES = 30


class SlugListField(forms.Field):
    """Repeated GET parameter (?metal=a&metal=b) kept as a list of well-formed slugs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        slugs = []
        for item in value:
            item = str(item).strip()
            if _SLUG.match(item) and item not in slugs:
                slugs.append(item)
        return slugs[:_MAX_VALUES]


class ListingFilterForm(forms.Form):
    metal = SlugListField(required=False, label=_("Metal"))
    gemstone = SlugListField(required=False, label=_("Gemstone"))
    category = SlugListField(required=False, label=_("Category"))
    price_min = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        label=_("Lowest price"),
    )
    price_max = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        label=_("Highest price"),
    )
    in_stock = forms.BooleanField(required=False, label=_("In stock only"))
    sort = forms.ChoiceField(
        required=False, choices=SORT_CHOICES, initial=SORT_FEATURED, label=_("Sort by")
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            # Typed the wrong way round: the shopper still means this range.
            data["price_min"], data["price_max"] = high, low
        return data

    def value(self, name: str, default=None):
        """The cleaned value of a field, or `default` when it was missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "", []) else value

    def ignored(self) -> list[str]:
        """One line per filter that could not be used ("Lowest price: Enter a number.")."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        notes = []
        for name, errors in self.errors.items():
            if name == "sort":
                notes.append(str(_("Unknown sort order: products are shown as featured.")))
                continue
            label = self.fields[name].label if name in self.fields else ""
            notes.extend(f"{label}: {error}" if label else str(error) for error in errors)
        return notes
