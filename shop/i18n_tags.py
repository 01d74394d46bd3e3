"""Django's `{% translate %}` and `{% blocktranslate %}`, with translations treated as untrusted.

`install()` (called from ShopConfig.ready) puts these two tags (and their old names `trans` and
`blocktrans`) into Django's own `i18n` template library, so every `{% load i18n %}` gets them:
the project's templates, the admin's and Rosetta's. They escape the translated text and keep
only the tags the source string itself has (shop/translation_markup.py); the rest of the
library is Django's. Where autoescaping is off (plain-text e-mails), they behave exactly as
Django's.

Installed into Django's library rather than as a library of the same name: two libraries named
`i18n` would make the template system check warn (templates.W003).
"""

from __future__ import annotations

from decimal import Decimal

from django.template import TemplateSyntaxError
from django.template.base import render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString, mark_safe

from shop.translation_markup import escape_translation


class EscapedTranslateNode(django_i18n.TranslateNode):
    def render(self, context):
        self.filter_expression.var.translate = not self.noop
        if self.message_context:
            self.filter_expression.var.message_context = self.message_context.resolve(context)
        output = self.filter_expression.resolve(context)
        if isinstance(output, Promise):
            output = str(output)  # translated now, as Django would when rendering it
        if not self.noop and context.autoescape and isinstance(output, SafeData):
            # A literal's translation comes back marked safe: Django trusts it. Not here.
            value = escape_translation(self._source(context), output.replace("%%", "%"))
        else:
            # Django's own rendering (a variable's value is escaped like any other).
            value = render_value_in_context(output, context)
            is_safe = isinstance(value, SafeData)
            value = value.replace("%%", "%")
            value = mark_safe(value) if is_safe else value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _source(self, context) -> str:
        variable = self.filter_expression.var
        source = variable.literal
        if source is None:  # {% translate some_variable %} holding a safe string
            try:
                source = variable._resolve_lookup(context)
            except Exception:  # noqa: BLE001 - then no tag of the translation is trusted
                source = ""
        return str(source).replace("%%", "%")


class EscapedBlockTranslateNode(django_i18n.BlockTranslateNode):
    """Django 5.2's BlockTranslateNode.render with one step added: the translation is escaped
    (keeping the source's own tags) before the escaped values are put into it."""

    def render(self, context, nested=False):
        message_context = self.message_context.resolve(context) if self.message_context else None
        context.update({var: val.resolve(context) for var, val in self.extra_context.items()})
        singular, vars = self.render_token_list(self.singular)
        source = singular
        if self.plural and self.countervar and self.counter:
            count = self.counter.resolve(context)
            if not isinstance(count, Decimal | float | int):
                raise TemplateSyntaxError(
                    f"{self.countervar!r} argument to {self.tag_name!r} tag must be a number."
                )
            context[self.countervar] = count
            plural, plural_vars = self.render_token_list(self.plural)
            source = singular + plural
            if message_context:
                result = translation.npgettext(message_context, singular, plural, count)
            else:
                result = translation.ngettext(singular, plural, count)
            vars.extend(plural_vars)
        elif message_context:
            result = translation.pgettext(message_context, singular)
        else:
            result = translation.gettext(singular)
        if context.autoescape:
            # The added step: the translator's text is text.
            result = str(escape_translation(source, result))
        default_value = context.template.engine.string_if_invalid

        def render_value(key):
            if key in context:
                val = context[key]
            else:
                val = default_value % key if "%s" in default_value else default_value
            return render_value_in_context(val, context)

        data = {v: render_value(v) for v in vars}
        context.pop()
        try:
            result %= data
        except (KeyError, ValueError):
            if nested:
                raise TemplateSyntaxError(
                    f"{self.tag_name!r} is unable to format string returned by gettext: "
                    f"{result!r} using {data!r}"
                ) from None
            with translation.override(None):
                result = self.render(context, nested=True)
        if self.asvar:
            context[self.asvar] = SafeString(result)
            return ""
        return result


def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return EscapedTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


def do_block_translate(parser, token):
    node = django_i18n.do_block_translate(parser, token)
    escaped = EscapedBlockTranslateNode.__new__(EscapedBlockTranslateNode)
    escaped.__dict__.update(node.__dict__)
    return escaped


def install() -> None:
    """Replaces the translation tags of Django's `i18n` library with the escaping ones."""
    library = django_i18n.register
    library.tags["translate"] = library.tags["trans"] = do_translate
    library.tags["blocktranslate"] = library.tags["blocktrans"] = do_block_translate
