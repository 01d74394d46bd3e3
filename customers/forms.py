"""Account forms. They validate input; writes go through customers.services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Address
from .services import normalize_email


def _language_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES]


def _currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in settings.SHOP_CURRENCIES]


class LoginForm(AuthenticationForm):
    """Sign in with e-mail and password (the field keeps Django's name, "username")."""

    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match an account. Note that the password "
            "is case-sensitive."
        ),
    }

    def clean_username(self) -> str:
        # Addresses are stored lower-case; the lock-out counter sees the same spelling too.
        return normalize_email(self.cleaned_data["username"])

    def clean(self) -> dict:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            # Passed as `email` (the USERNAME_FIELD), the key django-axes reads the address
            # from, so failures are counted per e-mail address and not lumped together.
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is it for?"),
        max_length=100,
        required=False,
        help_text=_("An app or a device, so you can tell your tokens apart."),
    )


class PreferencesMixin(forms.Form):
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=_language_choices)
    preferred_currency = forms.ChoiceField(label=_("Preferred currency"), choices=_currency_choices)


class RegistrationForm(PreferencesMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    field_order = [
        "email",
        "password1",
        "password2",
        "first_name",
        "last_name",
        "preferred_language",
        "preferred_currency",
    ]

    def clean(self) -> dict:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        return cleaned

    # Maps the service's field names onto this form's.
    SERVICE_FIELDS = {"password": "password1"}


class ProfileForm(PreferencesMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    field_order = ["first_name", "last_name", "preferred_language", "preferred_currency"]


class AddressForm(forms.ModelForm):
    """The country select lists every country, the store's main markets first."""

    # Not a model field here: an unticked box must not take the default away (the default
    # only moves when another address becomes it).
    is_default = forms.BooleanField(
        label=_("Make this my default shipping address"), required=False
    )

    class Meta:
        model = Address
        fields = [
            "full_name",
            "company",
            "line1",
            "line2",
            "city",
            "region",
            "postal_code",
            "country",
            "phone",
        ]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
            "line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "region": forms.TextInput(attrs={"autocomplete": "address-level1"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "country": forms.Select(attrs={"autocomplete": "country"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("is_default", None)
        return data


class CustomerPasswordResetForm(PasswordResetForm):
    """Sends the reset link in the customer's preferred language, whatever page asked."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            context = {**context, "language": language}
            subject = loader.render_to_string(subject_template_name, context)
            subject = " ".join(subject.split())
            body = loader.render_to_string(email_template_name, context)
            message = EmailMultiAlternatives(
                subject, body, from_email, [to_email], headers={"Content-Language": language}
            )
            if html_email_template_name is not None:
                message.attach_alternative(
                    loader.render_to_string(html_email_template_name, context), "text/html"
                )
        message.send()
