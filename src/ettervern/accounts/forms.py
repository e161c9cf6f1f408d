from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Django's sign-in form, whose username is also held to the model field's length (Django
    only sets the input's maxlength) as well as to the field's ban on NUL characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        if isinstance(field, forms.CharField) and field.max_length is not None:
            field.validators.append(MaxLengthValidator(field.max_length))

    def username_is_well_formed(self, username: str) -> bool:
        """The raw username passes the field's own checks (checked before anything looks the
        username up in the database)."""
        try:
            self.fields["username"].clean(username)
        except forms.ValidationError:
            return False
        return True


class CodeForm(forms.Form):
    """A six-digit code from the user's authenticator app."""

    code = forms.CharField(
        label=_("One-time code"),
        help_text=_("Six digits from the authenticator app on your phone."),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "").strip()
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Enter the six digits from the app."))
        return code
