"""Forms of the engagement pages: they parse input; the services validate and save."""

import secrets
from typing import Any

from django import forms

from civitas.core.vocabulary import Level
from civitas.engagement.models import (
    ActivityKind,
    Audience,
    Channel,
    CommunicationChannel,
    Outcome,
    Stance,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
HONEYPOT = "website"


def new_submission_token() -> str:
    """Return a fresh random token that makes one rendered form store at most one record."""
    return secrets.token_urlsafe(24)


def _checkboxes(choices: Any, **kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs
    )


def _topics(value: str) -> list[str]:
    return [topic.strip() for topic in value.split(",") if topic.strip()]


class ActivityForm(forms.Form):
    """Plan or edit an engagement activity."""

    kind = forms.ChoiceField(choices=ActivityKind.choices)
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="The question put to participants.",
    )
    levels = _checkboxes(Level.choices)
    channels = _checkboxes(
        Channel.choices,
        help_text="Offer at least one way that needs no easy access to technology.",
    )
    place = forms.CharField(max_length=200, required=False)
    starts_at = forms.DateTimeField(label="Starts", widget=DATETIME)
    ends_at = forms.DateTimeField(label="Ends", widget=DATETIME)
    is_public = forms.BooleanField(
        label="Public: citizens can register and contribute on the public page", required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CloseForm(forms.Form):
    """Close an activity with what came out of it."""

    outcome = forms.CharField(
        label="Outcome summary", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class InviteForm(forms.Form):
    """Invite several stakeholders at once."""

    stakeholders: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Stakeholders to invite"
    )

    def __init__(self, *args: Any, stakeholders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholders"].queryset = stakeholders  # type: ignore[attr-defined]


class ParticipationForm(forms.Form):
    """Record whether an invited stakeholder came and who represented it."""

    status = forms.ChoiceField(choices=[])
    represented_by = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from civitas.engagement.models import ParticipationStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ParticipationStatus.choices  # type: ignore[attr-defined]


class DisclosureForm(forms.Form):
    """Record information shared with participants."""

    title = forms.CharField(max_length=200)
    url = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    document = forms.FileField(required=False)
    audience = forms.ChoiceField(choices=Audience.choices)
    shared_on = forms.DateField(widget=DATE)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ContributionForm(forms.Form):
    """Enter a contribution on behalf of a stakeholder (or a citizen's, received offline)."""

    stakeholder: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="A citizen (no stakeholder)"
    )
    stance = forms.ChoiceField(choices=Stance.choices)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    topics = forms.CharField(required=False, help_text="Separate topics with commas.")
    channel = forms.ChoiceField(choices=Channel.choices)
    author_name = forms.CharField(label="Author's name", max_length=200, required=False)
    author_email = forms.EmailField(
        label="Author's e-mail", required=False, help_text="Where the answer will be sent."
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, stakeholders: Any, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = stakeholders  # type: ignore[attr-defined]
        if not staff:
            self.fields["stakeholder"].required = True
            self.fields["stakeholder"].empty_label = None  # type: ignore[attr-defined]
            for name in ("author_name", "author_email", "channel"):
                del self.fields[name]
        if not self.is_bound:
            self.initial.setdefault("submission_token", new_submission_token())

    def clean_topics(self) -> list[str]:
        return _topics(self.cleaned_data["topics"])


class DecisionForm(forms.Form):
    """Record or edit a decision of an initiative."""

    title = forms.CharField(max_length=200)
    decided_on = forms.DateField(widget=DATE)
    decided_by = forms.CharField(
        max_length=200, required=False, help_text="Who took it, e.g. the city council."
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ResponseForm(forms.Form):
    """Answer one contribution within a decision."""

    contribution = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=Outcome.choices)
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    published = forms.BooleanField(
        label="Show the contribution's words on the public page", required=False
    )


class CommunicationForm(forms.Form):
    """Record that a participant was told the answer another way."""

    via = forms.ChoiceField(label="How", choices=CommunicationChannel.choices)
    note = forms.CharField(max_length=500, required=False)


class SettingsForm(forms.Form):
    """A city's engagement settings and grievance mechanism."""

    disclosure_lead_days = forms.IntegerField(
        label="Disclosure lead time (days)",
        min_value=0,
        max_value=365,
        help_text="Participants should have the information this many days before it starts.",
    )
    public_page = forms.BooleanField(label="Show the city's public engagement page", required=False)
    grievance_established_on = forms.DateField(
        label="Grievance mechanism established on", widget=DATE, required=False
    )
    grievance_channels = _checkboxes(Channel.choices, label="Grievance channels")
    grievance_response_days = forms.IntegerField(
        label="Response-time target (days)", min_value=1, max_value=365
    )
    grievance_handler = forms.CharField(label="Handled by", max_length=200, required=False)
    grievance_description = forms.CharField(
        label="How the mechanism works", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class GrievanceLodgeForm(forms.Form):
    """Record a grievance received by staff (letter, phone, counter)."""

    subject = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    channel = forms.ChoiceField(choices=Channel.choices)
    complainant_name = forms.CharField(max_length=200, required=False)
    complainant_email = forms.EmailField(required=False)


class GrievanceActionForm(forms.Form):
    """One step of a grievance's handling, with a note (reasons for resolve/reject/appeal)."""

    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewScheduleForm(forms.Form):
    """Set how often an initiative's engagement is reviewed."""

    cadence_days = forms.IntegerField(label="Every (days)", min_value=1, max_value=3660)
    next_due_on = forms.DateField(label="Next review due", widget=DATE, required=False)


class ReviewForm(forms.Form):
    """Record a review held."""

    held_on = forms.DateField(widget=DATE, required=False)
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    changes_made = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


# Public forms: a hidden token makes a repeated POST store one record, and a honeypot
# field that people never see catches forms filled in by robots.


class PublicForm(forms.Form):
    """Base of the public forms: the submission token and the honeypot."""

    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_token"] = new_submission_token()

    @property
    def caught(self) -> bool:
        """Tell whether the honeypot was filled in (a robot, not a person)."""
        return bool(self.data.get(HONEYPOT))

    def visible_without_honeypot(self) -> list[Any]:
        return [field for field in self.visible_fields() if field.name != HONEYPOT]


class PublicContributionForm(PublicForm):
    """A citizen's contribution to a public activity."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "contribute_%s")  # shares its page with the registration
        super().__init__(*args, **kwargs)

    text = forms.CharField(label="Your contribution", widget=forms.Textarea(attrs={"rows": 5}))
    stance = forms.ChoiceField(label="Your position", choices=Stance.choices)
    topics = forms.CharField(required=False, help_text="Optional; separate topics with commas.")
    author_name = forms.CharField(label="Your name (optional)", max_length=200, required=False)
    author_email = forms.EmailField(
        label="Your e-mail (optional)",
        required=False,
        help_text="We send you the answer to your contribution there.",
    )
    consent = forms.BooleanField(
        label="I agree that the city keeps my contribution and the details I gave to answer me."
    )

    def clean_topics(self) -> list[str]:
        return _topics(self.cleaned_data["topics"])


class PublicRegistrationForm(PublicForm):
    """A citizen's registration for a public activity."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "register_%s")
        super().__init__(*args, **kwargs)

    name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(label="Your e-mail (optional)", required=False)
    consent = forms.BooleanField(
        label="I agree that the city keeps my registration to organise the activity."
    )


class PublicGrievanceForm(PublicForm):
    """A grievance lodged on the public page (anonymous allowed)."""

    subject = forms.CharField(max_length=200)
    description = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label="Your name (optional)", max_length=200, required=False)
    email = forms.EmailField(label="Your e-mail (optional)", required=False)
    consent = forms.BooleanField(
        label="I agree that the city keeps the details I gave to handle my grievance.",
        required=False,
    )
