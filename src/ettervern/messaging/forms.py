from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.messaging.models import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX_LENGTH, strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 2000 characters. Do not write what others in the thread should "
                    "not read."),
        error_messages={"required": _("Write a message before you send it."),
                        "max_length": _("The message is too long: at most %(limit_value)d "
                                        "characters.")})


class PreferencesForm(forms.Form):
    email = forms.MultipleChoiceField(
        label=_("Also send me an e-mail about"), required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, kinds: dict[str, object], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["email"].choices = [(k, str(v)) for k, v in kinds.items()]  # type: ignore[attr-defined]
