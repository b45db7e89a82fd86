"""The whole-city backup: an exact round trip, between cities and into a fresh database."""

import io
import json

import pytest
from django.core.management import call_command

from civitas.accounts.models import Membership
from civitas.catalogue.services import catalogue_load
from civitas.cities.demo import demo_build
from civitas.cities.models import City
from civitas.reports.backup import BackupError, city_backup, city_restore, read_backup
from civitas.stakeholders.models import MatrixItem, Stakeholder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def backup(city: City) -> dict:
    return json.loads("".join(city_backup(city)))


def comparable(document: dict) -> dict:
    """Drop what differs between two copies of a city: when, and under which slug."""
    document = dict(document)
    document.pop("exported_at")
    document["city"] = {k: v for k, v in document["city"].items() if k != "slug"}
    return document


@pytest.fixture
def aurelia(catalogue):
    return demo_build().city


def test_the_backup_holds_every_section(aurelia):
    document = backup(aurelia)
    assert document["format"] == "civitas-city" and document["version"] == 1
    for section in ("initiatives", "stakeholders", "contacts", "categorizations", "matrix",
                    "memberships"):  # fmt: skip
        assert document[section], section
    assert any(item["dismissed"] for item in document["matrix"])
    assert any(item["key"] and not item["dismissed"] for item in document["matrix"])
    assert any(item["parent"] for item in document["stakeholders"])


def test_round_trip_into_another_city_is_exact(aurelia):
    first = backup(aurelia)
    result = city_restore(document=read_backup(json.dumps(first)), by=None, slug="aurelia-copy")
    assert result.city.slug == "aurelia-copy"
    assert result.counts["stakeholders"] == len(first["stakeholders"])
    assert comparable(backup(result.city)) == comparable(first)


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_a_fresh_database_is_exact(catalogue):
    first = backup(demo_build().city)
    usernames = [item["username"] for item in first["memberships"]]
    call_command("flush", interactive=False, verbosity=0)
    catalogue_load()
    for username in usernames:
        UserFactory(username=username)
    result = city_restore(document=first, by=None)
    assert result.notes == []
    assert comparable(backup(result.city)) == comparable(first)


def test_restored_records_start_their_history(aurelia):
    document = backup(aurelia)
    owner = UserFactory()
    city = city_restore(document=document, by=owner, slug="copy", include_members=False).city
    stakeholder = Stakeholder.objects.filter(city=city).first()
    record = stakeholder.history.get()
    assert (record.history_type, record.history_user) == ("+", owner)
    assert record.history_change_reason == "Restored from a backup"
    assert Membership.objects.get(city=city).user == owner


def test_members_who_do_not_exist_here_are_noted(aurelia):
    document = backup(aurelia)
    document["memberships"].append({"username": "ghost", "role": "viewer", "stakeholder": None})
    result = city_restore(document=document, by=None, slug="copy")
    assert any("ghost" in note for note in result.notes)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["stakeholders"][0].update(type="spaceship"), "no type “spaceship”"),
        (lambda d: d["matrix"].__setitem__(0, {**d["matrix"][0], "key": "gone"}), "no item"),
        (lambda d: d["stakeholders"].append(dict(d["stakeholders"][0])), "appears twice"),
        (lambda d: d["categorizations"][0].update(interest=9), "0 to 5"),
        (lambda d: d.update(surprise=[]), "unknown to this version"),
        (lambda d: d["city"].update(slug="aurelia"), "exists already"),
    ],
)
def test_bad_documents_are_refused_whole(aurelia, change, words):
    document = backup(aurelia)
    document["city"]["slug"] = "copy"
    change(document)
    before = (City.objects.count(), Stakeholder.objects.count(), MatrixItem.objects.count())
    with pytest.raises(BackupError) as caught:
        city_restore(document=document, by=None)
    assert words in str(caught.value)
    assert (City.objects.count(), Stakeholder.objects.count(), MatrixItem.objects.count()) == before


@pytest.mark.parametrize(
    "data",
    [b"not json", b"[]", b'{"format": "other"}', b'{"format": "civitas-city", "version": 9}'],
)
def test_files_that_are_not_backups_are_refused(data):
    with pytest.raises(BackupError):
        read_backup(data)


def test_the_backup_streams(aurelia):
    pieces = city_backup(aurelia)
    first = next(pieces)
    assert first.startswith("{") and '"stakeholders"' not in first
    assert io.StringIO("".join(pieces)).read().endswith("}\n")
