"""What a browser would send back from a rendered form: every field with the value shown."""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "image", "file", "reset"}


class _FormParser(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "name" not in attributes and tag != "option":
            return
        name = attributes.get("name", "")
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._add(name, attributes.get("value") or "on")
                return
            self._add(name, attributes.get("value") or "")
        elif tag == "select":
            self._select = (name, "multiple" in attributes)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value") or "", "selected" in attributes))
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None


def form_data(html: str, form_id: str) -> dict[str, str | list[str]]:
    """The fields of the form with this id as the browser would post them, unchanged."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return {name: values[0] if len(values) == 1 else values for name, values in parser.data.items()}
