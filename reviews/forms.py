"""Forms of the review pages: writing a review, and the list's GET filters."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reviews.models import ReviewSentiment

RATING_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; each is checked with Pillow by the service."""

    widget = MultipleImageInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp,image/gif")

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        limit = int(getattr(settings, "SHOP_REVIEW_MAX_PHOTOS", 4))
        if len(files) > limit:
            raise forms.ValidationError(
                _("At most %(count)d photos per review."), params={"count": limit}
            )
        return [super(MultipleImageField, self).clean(file, initial) for file in files]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Your review"),
        max_length=5000,
        min_length=3,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    photos = MultipleImageField(
        label=_("Photos"),
        help_text=_("Optional: JPEG, PNG, WEBP or GIF."),
    )


class ReviewFilterForm(forms.Form):
    """?rating=1..5&sentiment=positive|neutral|negative; anything else is ignored."""

    rating = forms.TypedChoiceField(
        choices=[("", "")] + RATING_CHOICES, coerce=int, required=False, empty_value=None
    )
    sentiment = forms.ChoiceField(
        choices=[("", "")] + list(ReviewSentiment.choices), required=False
    )

    def filters(self) -> dict:
        if not self.is_valid():
            # A garbled parameter is dropped, the others still apply.
            cleaned = {}
            for name in ("rating", "sentiment"):
                field = self.fields[name]
                try:
                    cleaned[name] = field.clean(self.data.get(name, ""))
                except forms.ValidationError:
                    cleaned[name] = None
            return {key: value or None for key, value in cleaned.items()}
        return {key: value or None for key, value in self.cleaned_data.items()}
