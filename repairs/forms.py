"""Forms of the resident journey and the status page. Messages follow the GOV.UK error message patterns."""

from __future__ import annotations

import phonenumbers
from django import forms
from django.core.validators import validate_email
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from properties.postcodes import InvalidPostcode, normalise_postcode

from .models import UpdatePreference

DESCRIPTION_MAX = 1000
ACCESS_NOTES_MAX = 500
NAME_MAX = 150
UK_REGIONS = {"GB", "GG", "JE", "IM"}
NO_SLOT = "none"


def _at_most(message: str, limit: int) -> str:
    return _(message) % {"max": limit}


# A message with its limit, translated when shown (not when this module is imported).
at_most = lazy(_at_most, str)


def uk_phone(value: str, *, mobile: bool) -> str:
    """A UK phone number as typed ('07700 900 123', '+44 7700 900123') in E.164, or a clear error."""
    message = (
        _("Enter a UK mobile number, like 07700 900 982")
        if mobile
        else _("Enter a UK phone number, like 01632 960 001 or 07700 900 982")
    )
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException as error:
        raise forms.ValidationError(message) from error
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) not in UK_REGIONS
    ):
        raise forms.ValidationError(message)
    if mobile and phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise forms.ValidationError(message)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def readable_phone(value: str) -> str:
    """E.164 back to the way people write UK numbers ('07700 900982')."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class PostcodeForm(forms.Form):
    postcode = forms.CharField(max_length=20, required=False)

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except InvalidPostcode as error:
            raise forms.ValidationError(_(str(error))) from error


class ChoiceForm(forms.Form):
    """One set of radios; the view gives the choices and the message for no choice."""

    choice = forms.ChoiceField()

    def __init__(self, *args, choices: list[tuple[str, str]], message: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choices
        self.fields["choice"].error_messages = {"required": message, "invalid_choice": message}


class DescriptionForm(forms.Form):
    description = forms.CharField(
        required=True,
        max_length=DESCRIPTION_MAX,
        strip=True,
        error_messages={
            "required": gettext_lazy("Describe the problem"),
            "max_length": gettext_lazy("Description must be %(max)s characters or less")
            % {"max": DESCRIPTION_MAX},
        },
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(required=True, error_messages={"required": gettext_lazy("Select a photo to add")})


class AccessForm(forms.Form):
    access_notes = forms.CharField(
        required=False,
        max_length=ACCESS_NOTES_MAX,
        strip=True,
        error_messages={
            "max_length": gettext_lazy("Access details must be %(max)s characters or less")
            % {"max": ACCESS_NOTES_MAX}
        },
    )


class ContactForm(forms.Form):
    contact_name = forms.CharField(
        max_length=NAME_MAX,
        strip=True,
        error_messages={
            "required": gettext_lazy("Enter your full name"),
            "max_length": at_most(gettext_noop("Full name must be %(max)s characters or less"), NAME_MAX),
        },
    )
    contact_phone = forms.CharField(max_length=30, required=False, strip=True)

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"]
        return uk_phone(value, mobile=False) if value else ""


class UpdatesForm(forms.Form):
    update_preference = forms.ChoiceField(
        choices=UpdatePreference.choices,
        error_messages={
            "required": gettext_lazy("Select how you want to get updates"),
            "invalid_choice": gettext_lazy("Select how you want to get updates"),
        },
    )
    contact_email = forms.CharField(max_length=254, required=False, strip=True)
    update_phone = forms.CharField(max_length=30, required=False, strip=True)

    def clean(self) -> dict:
        data = super().clean()
        preference = data.get("update_preference")
        if preference == UpdatePreference.EMAIL:
            email = data.get("contact_email", "")
            if not email:
                self.add_error("contact_email", _("Enter your email address"))
            else:
                try:
                    validate_email(email)
                except forms.ValidationError:
                    self.add_error(
                        "contact_email",
                        _("Enter an email address in the correct format, like name@example.com"),
                    )
        elif preference == UpdatePreference.SMS:
            phone = data.get("update_phone", "")
            if not phone:
                self.add_error("update_phone", _("Enter a UK mobile number"))
            else:
                try:
                    data["update_phone"] = uk_phone(phone, mobile=True)
                except forms.ValidationError as error:
                    self.add_error("update_phone", error)
        return data


class SlotForm(forms.Form):
    slot = forms.ChoiceField(
        error_messages={
            "required": gettext_lazy("Select an appointment, or that none of these times suit you"),
            "invalid_choice": gettext_lazy("Select an appointment, or that none of these times suit you"),
        }
    )

    def __init__(self, *args, keys: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(key, key) for key in keys]


class LookupForm(forms.Form):
    reference = forms.CharField(
        max_length=30,
        strip=True,
        error_messages={"required": gettext_lazy("Enter your repair reference, like RP-7K3M9Q")},
    )
    postcode = forms.CharField(
        max_length=20, strip=True, error_messages={"required": gettext_lazy("Enter the postcode")}
    )


class RecallForm(forms.Form):
    description = forms.CharField(
        max_length=DESCRIPTION_MAX,
        strip=True,
        error_messages={
            "required": gettext_lazy("Describe what is still wrong"),
            "max_length": gettext_lazy("Description must be %(max)s characters or less")
            % {"max": DESCRIPTION_MAX},
        },
    )
