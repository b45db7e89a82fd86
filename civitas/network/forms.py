"""Forms of the relationship pages and the map's filters; the services validate and write."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from civitas.cities.models import City, Initiative
from civitas.network.models import Relationship
from civitas.network.vocabulary import Direction, Grouping, RelationshipKind, Strength
from civitas.stakeholders.forms import STALE_FORM
from civitas.stakeholders.models import Stakeholder


def _choice(form: forms.Form, name: str) -> Any:
    return form.fields[name]


class RelationshipForm(forms.Form):
    """Create or change a relationship between two stakeholders of a city."""

    source = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        empty_label="Choose a stakeholder…",
        help_text="The stakeholder that funds, regulates, evaluates, informs…",
    )
    kind = forms.ChoiceField(choices=[("", "Choose a kind…"), *RelationshipKind.choices])
    target = forms.ModelChoiceField(
        queryset=Stakeholder.objects.none(),
        empty_label="Choose a stakeholder…",
        help_text="The stakeholder it does this for or to.",
    )
    direction = forms.ChoiceField(
        choices=[("", "From the kind (both ways for “collaborates with”)"), *Direction.choices],
        required=False,
    )
    strength = forms.TypedChoiceField(choices=Strength.choices, coerce=int, initial=2)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.none(),
        required=False,
        empty_label="The whole programme",
        help_text="Leave empty when the relationship holds across the city's initiatives.",
    )
    start_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Since"
    )
    end_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Until"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        city: City,
        stakeholders: "QuerySet[Stakeholder]",
        instance: Relationship | None = None,
        **kwargs: Any,
    ) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "source": instance.source_id,
                "target": instance.target_id,
                "kind": instance.kind,
                "direction": instance.direction,
                "strength": instance.strength,
                "description": instance.description,
                "initiative": instance.initiative_id,
                "start_date": instance.start_date,
                "end_date": instance.end_date,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            _choice(self, name).queryset = (
                stakeholders.select_related(None).only("pk", "name").order_by("name")
            )
        initiatives = Initiative.objects.filter(city=city)
        if instance is None or instance.initiative_id is None:
            initiatives = initiatives.filter(archived_at__isnull=True)
        _choice(self, "initiative").queryset = initiatives.order_by("name")
        if instance is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = STALE_FORM
            _choice(self, "direction").choices = Direction.choices
            self.fields["direction"].required = True

    def service_arguments(self) -> dict[str, Any]:
        """Return the cleaned values as keyword arguments of the relationship services."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class RelationshipFilterForm(forms.Form):
    """Filters of the relationship list."""

    search = forms.CharField(required=False, max_length=200, label="Search")
    kind = forms.ChoiceField(choices=[("", "Any kind"), *RelationshipKind.choices], required=False)
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.none(), required=False, empty_label="Any initiative"
    )

    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "initiative").queryset = Initiative.objects.filter(city=city).order_by("name")


class MapScopeForm(forms.Form):
    """Which map to show: the city's or an initiative's, and how to group it."""

    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.none(), required=False, empty_label="Whole city"
    )
    grouping = forms.ChoiceField(choices=Grouping.choices, required=False, label="Group")

    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "initiative").queryset = Initiative.objects.filter(
            city=city, archived_at__isnull=True
        ).order_by("name")

    def scope(self) -> tuple[Initiative | None, str]:
        """Return the chosen initiative and grouping (the whole city, ungrouped, if invalid)."""
        if not self.is_valid():
            return None, ""
        return self.cleaned_data.get("initiative"), self.cleaned_data.get("grouping") or ""
