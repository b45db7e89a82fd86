"""Forms of the registry, categorization and analysis-matrix pages.

Forms only parse input; the services validate it and write. `add_service_errors` (in
civitas.core.forms) turns a service's ValidationError into errors on the form's fields.
"""

from collections.abc import Iterable
from typing import Any

from django import forms

from civitas.catalogue.models import StakeholderType, TypeKind
from civitas.cities.models import Initiative
from civitas.core.vocabulary import Level, LfaRole, MatrixDimension, Sector, TechnologyRole
from civitas.stakeholders.models import (
    IdentificationReason,
    Stakeholder,
    StakeholderKind,
    ValidationStep,
)

STALE_FORM = "This form is out of date. Reload the page, then apply your changes again."
TYPE_GROUPS = (
    (TypeKind.GENERIC, "Generic types (§3.1)"),
    (TypeKind.MUNICIPAL_UNIT, "Municipal units (Table 1)"),
    (TypeKind.NATIONAL_UNIT, "National units (Table 2)"),
)


def _field(form: forms.Form, name: str) -> Any:
    """Return a form field to set its choices or queryset (fields are typed as plain Field)."""
    return form.fields[name]


def _checkboxes(choices: Any, **kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs
    )


class StakeholderForm(forms.Form):
    """Create or edit a stakeholder of a city."""

    name = forms.CharField(max_length=200)
    type = forms.ChoiceField(
        help_text="The catalogue entry this stakeholder is an instance of.",
    )
    kind = forms.ChoiceField(required=False)
    parent = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        empty_label="None",
        help_text="A unit belongs to its municipality or government.",
    )
    levels = _checkboxes(Level.choices)
    sector = forms.ChoiceField(required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    tags = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Separate tags with semicolons, e.g. “energy; mobility”.",
    )
    identified_as = _checkboxes(
        IdentificationReason.choices,
        label="Identified as",
        help_text="Why this stakeholder belongs on the list (§3).",
    )
    validation_steps = _checkboxes(
        ValidationStep.choices,
        label="Validation steps done",
        help_text="The checks of §3.1 this entry has been through.",
    )
    confidential = forms.BooleanField(
        required=False, help_text="Only owners and analysts of the city will see it."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        city: Any,
        types: Iterable[StakeholderType],
        instance: Stakeholder | None = None,
        **kwargs: Any,
    ) -> None:
        self.instance = instance
        self.types = {t.code: t for t in types}
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for kind, label in TYPE_GROUPS:
            entries = [(t.code, t.name) for t in self.types.values() if t.kind == kind]
            if entries:
                groups.append((label, entries))
        _field(self, "type").choices = [("", "Choose a type…"), *groups]
        parents = Stakeholder.objects.filter(city=city, archived_at__isnull=True).only("pk", "name")
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        _field(self, "parent").queryset = parents.order_by("name")
        if instance is None:
            _field(self, "kind").choices = [
                ("", "From the type (unit for units, else organization)"),
                *StakeholderKind.choices,
            ]
            _field(self, "sector").choices = [("", "From the type"), *Sector.choices]
            self.fields["levels"].help_text = "Leave all unchecked to take the type's levels."
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = STALE_FORM
            _field(self, "kind").choices = StakeholderKind.choices
            self.fields["kind"].required = True
            _field(self, "sector").choices = Sector.choices
            self.fields["sector"].required = True

    @staticmethod
    def initial_from(stakeholder: Stakeholder) -> dict[str, Any]:
        """Return the form's starting values for an existing stakeholder."""
        return {
            "name": stakeholder.name,
            "type": stakeholder.type.code,
            "kind": stakeholder.kind,
            "parent": stakeholder.parent_id,
            "levels": stakeholder.levels,
            "sector": stakeholder.sector,
            "description": stakeholder.description,
            "website": stakeholder.website,
            "tags": "; ".join(stakeholder.tags),
            "identified_as": stakeholder.identified_as,
            "validation_steps": stakeholder.validation_steps,
            "confidential": stakeholder.confidential,
            "version": stakeholder.version,
        }

    def clean_type(self) -> StakeholderType:
        code = self.cleaned_data["type"]
        if code not in self.types:
            raise forms.ValidationError("Choose a type from the catalogue.")
        return self.types[code]

    def service_arguments(self) -> dict[str, Any]:
        """Return the cleaned values as keyword arguments of the stakeholder services."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if self.instance is None and not data["levels"]:
            data["levels"] = None  # the service takes the type's levels
        return data

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")


class ContactForm(forms.Form):
    """A contact person of a stakeholder."""

    name = forms.CharField(max_length=200)
    role = forms.CharField(max_length=200, required=False, help_text="e.g. Head of unit")
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=50, required=False)


SCORE_CHOICES = [(value, str(value)) for value in range(6)]
ATTITUDE_CHOICES = [
    (-2, "−2 opposed"),
    (-1, "−1 rather opposed"),
    (0, "0 neutral"),
    (1, "+1 rather supportive"),
    (2, "+2 supportive"),
]


class CategorizationForm(forms.Form):
    """A stakeholder's roles and scores in one initiative (§3.2)."""

    lfa_roles = _checkboxes(LfaRole.choices, label="LFA roles")
    technology_roles = _checkboxes(TechnologyRole.choices, label="Technology roles")
    power_monetary = forms.TypedChoiceField(
        choices=SCORE_CHOICES,
        coerce=int,
        label="Power: monetary",
        help_text="0 (none) to 5: the resources it can put in or hold back.",
    )
    power_administrative = forms.TypedChoiceField(
        choices=SCORE_CHOICES,
        coerce=int,
        label="Power: administrative",
        help_text="0 (none) to 5: its authority to allow, require or block.",
    )
    interest = forms.TypedChoiceField(
        choices=SCORE_CHOICES,
        coerce=int,
        help_text="0 (none) to 5: how much the outcome matters to it.",
    )
    attitude = forms.TypedChoiceField(choices=ATTITUDE_CHOICES, coerce=int)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Why these roles and scores; others will read it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_arguments(self) -> dict[str, Any]:
        """Return the cleaned values as keyword arguments of categorization_set."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class MatrixItemForm(forms.Form):
    """The text of one analysis-matrix item."""

    dimension = forms.ChoiceField(choices=MatrixDimension.choices)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MatrixTextForm(forms.Form):
    """The new wording of a matrix item or of a catalogue default."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MergeForm(forms.Form):
    """Choose the stakeholder another one is folded into."""

    target = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        label="Merge into",
        empty_label="Choose a stakeholder…",
    )

    def __init__(self, *args: Any, source: Stakeholder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "target").queryset = (
            Stakeholder.objects.filter(city_id=source.city_id, archived_at__isnull=True)
            .exclude(pk=source.pk)
            .only("pk", "name")
            .order_by("name")
        )


class SeedForm(forms.Form):
    """Options of "Start from the Supplement"."""

    include_units = forms.BooleanField(
        required=False,
        label="Also add the municipal units (Table 1) and national units (Table 2)",
    )


class AddToInitiativeForm(forms.Form):
    """Choose stakeholders to categorize in an initiative with their types' defaults."""

    stakeholders = forms.ModelMultipleChoiceField(
        queryset=Stakeholder.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="Each starts from its type's default roles and scores; adjust them after.",
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "stakeholders").queryset = candidates


class RegistryFilterForm(forms.Form):
    """Search, filters and sort of the registry list; every field is optional."""

    q = forms.CharField(required=False, label="Search", max_length=200)
    type = forms.ChoiceField(required=False)
    sector = forms.ChoiceField(required=False, choices=[("", "Any sector"), *Sector.choices])
    level = forms.ChoiceField(required=False, choices=[("", "Any level"), *Level.choices])
    lfa_role = forms.ChoiceField(
        required=False, label="LFA role", choices=[("", "Any LFA role"), *LfaRole.choices]
    )
    initiative = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="LFA role held in"
    )
    tag = forms.ChoiceField(required=False)
    placeholders = forms.BooleanField(required=False, label="Only placeholders")
    archived = forms.BooleanField(required=False, label="Show archived instead")
    sort = forms.CharField(required=False)

    def __init__(
        self,
        *args: Any,
        types: Iterable[StakeholderType],
        tags: Iterable[str],
        initiatives: Iterable[Initiative],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        type_choices: list[Any] = [("", "Any type")]
        types = list(types)
        with_units = {t.parent_id for t in types if t.parent_id}
        for kind, label in TYPE_GROUPS:
            # A type with units also matches its units (see stakeholder_list).
            entries = [
                (t.code, f"{t.name} (and its units)" if t.pk in with_units else t.name)
                for t in types
                if t.kind == kind
            ]
            if entries:
                type_choices.append((label, entries))
        _field(self, "type").choices = type_choices
        _field(self, "tag").choices = [("", "Any tag"), *((tag, tag) for tag in tags)]
        _field(self, "initiative").choices = [
            ("", "In any initiative"),
            *((initiative.pk, initiative.name) for initiative in initiatives),
        ]

    def filters(self) -> dict[str, Any]:
        """Return the valid filters; an invalid value is ignored rather than refused."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        return {key: value for key, value in data.items() if value not in (None, "", False)}
