"""Model forms that never write back a stale value they showed (for the admin).

A form shows a variant's stock; a shopper buys one before the merchant saves; a plain model
form would then write the number it showed, undoing the sale (Django compares the posted value
with the row as it is at save time, so the stale number even counts as a change). Here every
guarded field sends back, hidden beside its input, the value the page was rendered with:

- a field the merchant left as shown is not written at all (the row keeps whatever it holds
  now: a sale, a job's result, another person's edit);
- a field the merchant changed is written only when the row still holds the value shown;
  otherwise the form says what changed meanwhile and asks the merchant to look again.

Subclass `ConcurrentEditForm` and name the `guarded_fields` (catalog.admin_stock does it for
the stock list and the product page's variants). A post without the hidden values (an old page,
a script) is saved as Django would.
"""

from __future__ import annotations

import copy
import logging

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

SEEN_SUFFIX = "__seen"


class WithSeenValue(forms.Widget):
    """Renders the wrapped widget plus a hidden input holding the value the page showed."""

    def __init__(self, widget: forms.Widget, seen: str | None = None):
        self.widget = widget
        self.seen = seen  # on a form shown again after an error: the value first shown
        super().__init__(attrs=widget.attrs)

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        clone.widget = copy.deepcopy(self.widget, memo)
        clone.attrs = clone.widget.attrs
        memo[id(self)] = clone
        return clone

    @property
    def is_hidden(self) -> bool:
        return self.widget.is_hidden

    def render(self, name, value, attrs=None, renderer=None):
        html = self.widget.render(name, value, attrs, renderer)
        shown = self.widget.format_value(value) if self.seen is None else self.seen
        hidden = format_html(
            '<input type="hidden" name="{}" value="{}">', name + SEEN_SUFFIX, shown or ""
        )
        return html + hidden

    def value_from_datadict(self, data, files, name):
        return self.widget.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return self.widget.value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        return self.widget.id_for_label(id_)


_MISSING = object()


class ConcurrentEditForm(forms.ModelForm):
    """A model form whose `guarded_fields` are written only when the person changed them and
    nobody changed them since the page was shown."""

    guarded_fields: tuple[str, ...] = ()
    #: Says who may have changed the row meanwhile, in the error message.
    meanwhile = _("another person's edit")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.guarded = [name for name in self.guarded_fields if name in self.fields]
        # Field name -> the value shown, for changed fields to be written only if still so.
        self.expected: dict[str, object] = {}
        self.kept: list[str] = []  # guarded fields left as shown: not written
        self.conflicts: list[str] = []  # changed by someone else between clean and save
        for name in self.guarded:
            field = self.fields[name]
            seen = self.data.get(self.add_prefix(name) + SEEN_SUFFIX) if self.is_bound else None
            field.widget = WithSeenValue(field.widget, seen=seen)

    @cached_property
    def changed_data(self) -> list[str]:
        """Django's changed fields, less the guarded ones the merchant left as shown (Django
        compares with the row as it is now, so a sale meanwhile would look like a change)."""
        return [
            name
            for name in super().changed_data
            if not (name in self.guarded and self._left_as_shown(name))
        ]

    def _left_as_shown(self, name: str) -> bool:
        seen = self._seen(name)
        if seen is _MISSING:
            return False
        field = self.fields[name]
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        try:
            return field.to_python(raw) == seen
        except ValidationError:
            return False

    def _seen(self, name: str):
        raw = self.data.get(self.add_prefix(name) + SEEN_SUFFIX, _MISSING)
        if raw is _MISSING:
            return _MISSING
        try:
            return self.fields[name].to_python(raw)
        except ValidationError:
            return _MISSING

    def clean(self):
        cleaned = super().clean()
        if self.instance._state.adding:
            return cleaned
        for name in self.guarded:
            if name not in cleaned:
                continue  # invalid: its own error is shown
            seen = self._seen(name)
            if seen is _MISSING:
                continue  # no value shown came back: saved as Django would
            now = getattr(self.instance, name)
            if cleaned[name] == seen:
                cleaned[name] = now  # left as shown: keep what the row holds now
                self.kept.append(name)
            elif now != seen:
                self.add_error(
                    name,
                    _(
                        "%(field)s changed from %(seen)s to %(now)s since this page was loaded "
                        "(%(meanwhile)s). Reload the page and enter it again."
                    )
                    % {
                        "meanwhile": self.meanwhile,
                        "field": self.fields[name].label or name,
                        "seen": "—" if seen is None else seen,
                        "now": "—" if now is None else now,
                    },
                )
            else:
                self.expected[name] = seen
        return cleaned

    def save(self, commit: bool = True):
        if not commit or self.instance._state.adding or not self.guarded:
            return super().save(commit=commit)
        if self.errors:
            raise ValueError("The object could not be changed because the data didn't validate.")
        self.save_guarded()
        self._save_m2m()
        return self.instance

    def save_guarded(self):
        """Writes the form's fields except the guarded ones left as shown; a guarded field the
        person changed is written only if the row still holds the value shown (checked under a
        row lock), else it is left and named in `conflicts`."""
        instance = self.instance
        model = type(instance)
        names = [
            field.name
            for field in instance._meta.concrete_fields
            if field.name in self.cleaned_data and not field.primary_key
        ]
        with transaction.atomic():
            row = model._default_manager.select_for_update().get(pk=instance.pk)
            for name, expected in self.expected.items():
                if getattr(row, name) != expected:
                    self.conflicts.append(name)
            skipped = set(self.kept) | set(self.conflicts)
            for name in skipped:
                setattr(instance, name, getattr(row, name))
            update = [name for name in names if name not in skipped]
            if update:
                instance.save(update_fields=update)
        if self.conflicts:
            logger.warning(
                "%s %s: %s changed while it was edited; not overwritten",
                model.__name__,
                instance.pk,
                ", ".join(self.conflicts),
            )
        return instance
