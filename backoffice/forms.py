"""Forms of the back office. Each says in its error what to put right; nothing saved is lost."""

from __future__ import annotations

from django import forms

from repairs.models import JobSize, JobState, Priority, Trade, UpdatePreference

MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": 0}


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    seen_state = forms.ChoiceField(choices=JobState.choices, widget=forms.HiddenInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Note for staff")
    public_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason residents read",
        help_text="Shown on the resident's status page. No names or contact details.",
    )


class PriorityForm(forms.Form):
    priority = forms.ModelChoiceField(queryset=Priority.objects.all(), empty_label=None)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why the priority changes")


class TradeSizeForm(forms.Form):
    trade = forms.ModelChoiceField(queryset=Trade.objects.filter(is_active=True), empty_label=None)
    size = forms.ChoiceField(choices=JobSize.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why it changes")


class CostsForm(forms.Form):
    estimated_cost = forms.DecimalField(required=False, label="Estimated cost (£)", **MONEY)
    actual_cost = forms.DecimalField(required=False, label="Actual cost (£)", **MONEY)


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Internal note")


class MergeForm(forms.Form):
    into = forms.IntegerField(label="Merge into job number", min_value=1)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note for staff")
    force = forms.BooleanField(
        required=False,
        label="They are one fault even though the place or trade differs (say why in the note)",
    )


class SlotForm(forms.Form):
    slot = forms.CharField(label="Appointment")


class CancelAppointmentForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Why it is cancelled"
    )


class BulkForm(forms.Form):
    jobs = forms.TypedMultipleChoiceField(coerce=int, choices=(), label="Jobs")
    action = forms.ChoiceField(choices=(), label="Action")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note for staff")
    public_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reason residents read"
    )

    def __init__(self, *args, actions: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions
        job_ids = self.data.getlist("jobs") if hasattr(self.data, "getlist") else []
        self.fields["jobs"].choices = [(value, value) for value in job_ids]

    def clean_jobs(self) -> list[int]:
        jobs = self.cleaned_data["jobs"]
        if not jobs:
            raise forms.ValidationError("Select at least one job.")
        return jobs


class PostcodeForm(forms.Form):
    postcode = forms.CharField(label="Caller's postcode", max_length=10)


class RaiseRepairForm(forms.Form):
    trade = forms.ModelChoiceField(
        queryset=Trade.objects.filter(is_active=True), empty_label="Choose a trade"
    )
    priority = forms.ModelChoiceField(queryset=Priority.objects.all(), empty_label="Choose a priority")
    size = forms.ChoiceField(choices=JobSize.choices, initial=JobSize.SMALL)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="What is wrong, in the caller's words"
    )
    contact_name = forms.CharField(label="Caller's name", max_length=150)
    contact_phone = forms.CharField(label="Phone number", max_length=30, required=False)
    contact_email = forms.EmailField(label="Email address", required=False)
    update_preference = forms.ChoiceField(
        choices=UpdatePreference.choices, initial=UpdatePreference.SMS, label="How they want updates"
    )
    access_notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Getting in (optional)"
    )
