"""CodeSetField: sets of codes stored in one column, and the exact-match `has` lookup."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from civitas.core.fields import CodeSetField, normalize_set
from civitas.core.vocabulary import Level
from civitas.stakeholders.models import Stakeholder
from tests.factories import StakeholderFactory


def stored_text(stakeholder: Stakeholder, column: str) -> str:
    """Return the column as the database holds it."""
    table = connection.ops.quote_name(Stakeholder._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [stakeholder.pk],
        )
        return cursor.fetchone()[0]


class TestNormalizeSet:
    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            (None, []),
            ("", []),
            ("local", ["local"]),
            ("local|national", ["local", "national"]),
            ([" national ", "local", "national", ""], ["national", "local"]),
            (("b", "a", "b"), ["b", "a"]),
        ],
    )
    def test_values_are_trimmed_deduplicated_and_keep_their_order(self, given, expected):
        assert normalize_set(given) == expected


@pytest.mark.django_db
class TestRoundTrip:
    def test_a_set_is_stored_between_separators_and_read_back_in_order(self, city):
        stakeholder = StakeholderFactory(
            city=city, levels=["national", " local", "national"], tags=["b", "a"]
        )

        assert stored_text(stakeholder, "levels") == "|national|local|"
        reloaded = Stakeholder.objects.get(pk=stakeholder.pk)
        assert reloaded.levels == ["national", "local"]
        assert reloaded.tags == ["b", "a"]

    def test_an_empty_set_is_stored_empty_and_read_back_as_a_list(self, city):
        stakeholder = StakeholderFactory(city=city, levels=[], tags=[])

        assert stored_text(stakeholder, "tags") == ""
        assert Stakeholder.objects.get(pk=stakeholder.pk).tags == []

    def test_a_code_holding_the_separator_is_refused_before_it_is_stored(self, city):
        stakeholder = StakeholderFactory(city=city, tags=["fine"])
        stakeholder.tags = ["fine", "a|b"]

        with pytest.raises(ValidationError) as excinfo:
            stakeholder.full_clean()
        assert "tags" in excinfo.value.message_dict
        with pytest.raises(ValidationError), transaction.atomic():
            stakeholder.save()

        assert Stakeholder.objects.get(pk=stakeholder.pk).tags == ["fine"]

    def test_tuples_and_sets_clean_like_lists(self):
        field = CodeSetField(allowed=Level.values)

        assert field.clean(("local", "national"), None) == ["local", "national"]
        assert field.clean({"local"}, None) == ["local"]
        assert field.clean("local|national", None) == ["local", "national"]

    def test_the_string_form_lists_the_codes(self, city):
        stakeholder = StakeholderFactory(city=city, levels=["local", "national"])

        field = Stakeholder._meta.get_field("levels")

        assert field.value_to_string(stakeholder) == "local;national"


class TestValidation:
    def test_allowed_values_pass(self):
        assert CodeSetField(allowed=Level.values).clean(["local", "sub_national"], None) == [
            "local",
            "sub_national",
        ]

    def test_unknown_values_are_named(self):
        field = CodeSetField(allowed=Level.values)

        with pytest.raises(ValidationError) as excinfo:
            field.clean(["local", "galactic", "orbital"], None)

        assert excinfo.value.code == "invalid_choice"
        assert "galactic, orbital" in excinfo.value.messages[0]

    def test_a_field_without_allowed_values_takes_any_code(self):
        assert CodeSetField().clean(["anything", "goes"], None) == ["anything", "goes"]

    def test_a_required_set_refuses_emptiness(self):
        with pytest.raises(ValidationError):
            CodeSetField(blank=False).clean([], None)

    def test_the_migration_form_keeps_the_allowed_values_only(self):
        _, path, _, kwargs = CodeSetField(allowed=["a", "b"]).deconstruct()

        assert path == "civitas.core.fields.CodeSetField"
        assert kwargs == {"allowed": ["a", "b"]}


@pytest.mark.django_db
class TestHasLookup:
    def names_having(self, city, field: str, code: str) -> list[str]:
        return sorted(
            Stakeholder.objects.filter(city=city, **{f"{field}__has": code}).values_list(
                "name", flat=True
            )
        )

    def test_national_does_not_match_sub_national(self, city):
        StakeholderFactory(city=city, name="Ministry", levels=["national"])
        StakeholderFactory(city=city, name="Region", levels=["sub_national"])
        StakeholderFactory(city=city, name="Local", levels=["local"])

        assert self.names_having(city, "levels", "national") == ["Ministry"]
        assert self.names_having(city, "levels", "sub_national") == ["Region"]

    @pytest.mark.parametrize("position", ["first", "middle", "last", "only"])
    def test_a_code_matches_wherever_it_sits(self, city, position):
        tags = {
            "first": ["energy", "x", "y"],
            "middle": ["x", "energy", "y"],
            "last": ["x", "y", "energy"],
            "only": ["energy"],
        }[position]
        StakeholderFactory(city=city, name="Match", tags=tags)
        StakeholderFactory(city=city, name="Prefix", tags=["energy_poverty", "renewable-energy"])

        assert self.names_having(city, "tags", "energy") == ["Match"]

    @pytest.mark.parametrize(
        ("tag", "near_miss"),
        [("a_b", "axb"), ("50%", "50 percent"), ("100%", "100"), ("c\\d", "cd"), ("_", "z")],
    )
    def test_like_wildcards_in_a_code_match_only_themselves(self, city, tag, near_miss):
        StakeholderFactory(city=city, name="Exact", tags=[tag])
        StakeholderFactory(city=city, name="Near miss", tags=[near_miss])

        assert self.names_having(city, "tags", tag) == ["Exact"]

    def test_an_empty_set_matches_nothing(self, city):
        StakeholderFactory(city=city, name="Untagged", tags=[])

        assert self.names_having(city, "tags", "") == []
