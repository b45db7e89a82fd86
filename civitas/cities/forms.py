"""Forms for cities, initiatives and members: input parsing only, the services validate."""

from typing import Any

from django import forms
from django.core.validators import RegexValidator

from civitas.accounts.models import Role
from civitas.cities.models import DevelopmentContext, InitiativeStatus
from civitas.stakeholders.models import Stakeholder


class DateInput(forms.DateInput):
    """A browser date picker that reads and writes ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CityForm(forms.Form):
    """A city's facts, as its owner edits them."""

    name = forms.CharField(max_length=200, help_text="As the city calls itself, e.g. “Lumen”.")
    country = forms.CharField(
        max_length=2,
        required=False,
        validators=[
            RegexValidator(r"^[A-Za-z]{2}$", "Enter the two-letter country code, e.g. PT or KE.")
        ],
        help_text="Two-letter ISO country code, e.g. PT, KE or BR.",
        widget=forms.TextInput(attrs={"size": 2, "autocomplete": "country", "class": "short"}),
    )
    population = forms.IntegerField(
        min_value=0,
        required=False,
        help_text="Number of inhabitants, if known.",
    )
    development_context = forms.ChoiceField(
        choices=DevelopmentContext.choices,
        initial=DevelopmentContext.DEVELOPING,
        help_text="What is feasible differs between developed and developing cities (§6).",
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The SSC programme in a few sentences: who runs it, what it aims at.",
    )


class CityCreateForm(CityForm):
    """A new city, with the short name used in its web addresses."""

    slug = forms.SlugField(
        max_length=60,
        required=False,
        label="Short name for addresses",
        help_text="Lower-case letters, digits and hyphens, used in the city's web address. "
        "Leave empty to derive it from the name.",
    )

    field_order = ["name", "slug", "country", "population", "development_context", "description"]

    def clean_slug(self) -> str:
        return str(self.cleaned_data.get("slug", "")).strip().lower()


class InitiativeForm(forms.Form):
    """An SSC initiative of a city."""

    name = forms.CharField(max_length=200, help_text="A name the city's team will recognize.")
    status = forms.ChoiceField(choices=InitiativeStatus.choices, initial=InitiativeStatus.PLANNED)
    start_date = forms.DateField(required=False, widget=DateInput())
    end_date = forms.DateField(required=False, widget=DateInput())
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the initiative does and for whom.",
    )


class InitiativeEditForm(InitiativeForm):
    """An initiative being edited: carries the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MemberAddForm(forms.Form):
    """Give a user a role in the city, or change the role of one who already has one."""

    username = forms.CharField(
        max_length=150,
        help_text="The person's Civitas user name. An administrator creates accounts.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)
    stakeholder = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        label="Acts for stakeholder",
        empty_label="— none —",
        help_text="For contributors only: the organization they belong to and write for.",
    )

    def __init__(self, *args: Any, stakeholders: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stakeholder"]
        if stakeholders is not None and isinstance(field, forms.ModelChoiceField):
            field.queryset = stakeholders


class MemberRoleForm(forms.Form):
    """Change one member's role."""

    role = forms.ChoiceField(choices=Role.choices)
