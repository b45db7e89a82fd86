"""Activities (planned → open → closed), invitations and attendance, disclosure, registrations."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from civitas.cities.services import initiative_archive
from civitas.core.errors import ConflictError, PermissionDeniedError, ValidationError
from civitas.engagement.models import Activity, Disclosure, Participation, Registration
from civitas.engagement.services import (
    activity_close,
    activity_create,
    activity_delete,
    activity_invite,
    activity_open,
    activity_update,
    disclosure_add,
    disclosure_remove,
    disclosure_update,
    engagement_settings_update,
    participation_add,
    participation_answer,
    participation_remove,
    participation_update,
    registration_set_attended,
    registration_submit,
)
from civitas.engagement.services.common import save_once
from tests.engagement.conftest import contribute, make_activity
from tests.factories import CityFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def messages(caught) -> dict:
    return caught.value.message_dict


# Creating and changing


def test_an_activity_starts_planned_with_its_details(initiative):
    activity = make_activity(initiative, open=False, levels=["local", "national"])
    assert activity.status == "planned"
    assert activity.city_id == initiative.city_id
    assert activity.levels == ["local", "national"]
    assert activity.channels == ["in_person", "online"]


@pytest.mark.parametrize("role", ["owner", "analyst"])
def test_owners_and_analysts_plan_activities(initiative, user_in, role):
    user = user_in(role)
    start = timezone.now()
    activity = activity_create(
        initiative=initiative, by=user, kind="workshop", title="Kick-off",
        starts_at=start, ends_at=start + timedelta(hours=2), channels=["in_person"],
    )  # fmt: skip
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert activity.history.first().history_user == user


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_other_roles_may_not_plan_activities(initiative, user_in, role):
    start = timezone.now()
    with pytest.raises(PermissionDeniedError):
        activity_create(
            initiative=initiative, by=user_in(role), kind="workshop", title="Kick-off",
            starts_at=start, ends_at=start + timedelta(hours=2), channels=["in_person"],
        )  # fmt: skip


def test_outsiders_may_not_plan_activities(initiative):
    outsider_city = CityFactory()
    start = timezone.now()
    with pytest.raises(PermissionDeniedError):
        activity_create(
            initiative=initiative, by=outsider_city.memberships.get().user, kind="workshop",
            title="Kick-off", starts_at=start, ends_at=start + timedelta(hours=2),
            channels=["in_person"],
        )  # fmt: skip


def test_an_activity_must_end_after_it_starts_and_have_a_channel(initiative):
    start = timezone.now()
    with pytest.raises(ValidationError) as caught:
        activity_create(
            initiative=initiative, by=None, kind="workshop", title="  ",
            starts_at=start, ends_at=start, channels=[],
        )  # fmt: skip
    assert set(messages(caught)) == {"title", "ends_at", "channels"}
    assert not Activity.objects.exists()


def test_unknown_kinds_and_channels_are_refused(initiative):
    start = timezone.now()
    with pytest.raises(ValidationError) as caught:
        activity_create(
            initiative=initiative, by=None, kind="party", title="Party",
            starts_at=start, ends_at=start + timedelta(hours=1), channels=["telepathy"],
        )  # fmt: skip
    assert set(messages(caught)) == {"kind", "channels"}


def test_the_database_refuses_an_activity_ending_before_it_starts(initiative):
    start = timezone.now()
    with pytest.raises(IntegrityError):
        Activity.objects.create(
            city=initiative.city, initiative=initiative, kind="survey", title="Bad",
            starts_at=start, ends_at=start - timedelta(hours=1), channels=["online"],
        )  # fmt: skip


def test_archived_initiatives_take_no_new_activities(initiative):
    initiative_archive(initiative=initiative, by=None)
    with pytest.raises(ValidationError) as caught:
        make_activity(initiative, open=False)
    assert "initiative" in messages(caught)


def test_updating_an_activity_checks_the_version(initiative):
    activity = make_activity(initiative, open=False)
    activity_update(activity=activity, by=None, expected_version=1, title="Renamed")
    assert Activity.objects.get(pk=activity.pk).title == "Renamed"
    stale = Activity.objects.get(pk=activity.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        activity_update(activity=stale, by=None, expected_version=1, title="Again")
    with pytest.raises(ValidationError) as caught:
        activity_update(activity=activity, by=None, expected_version=2, status="closed")
    assert "status" in messages(caught)


# The state machine


def test_an_activity_goes_from_planned_to_open_to_closed(initiative):
    activity = make_activity(initiative, open=False)
    activity_open(activity=activity, by=None)
    assert activity.status == "open" and activity.opened_at is not None
    activity_close(activity=activity, by=None, outcome="Most wanted trees.")
    activity.refresh_from_db()
    assert activity.status == "closed" and activity.closed_at is not None
    assert activity.outcome == "Most wanted trees."


def test_an_activity_cannot_skip_or_go_back(initiative):
    activity = make_activity(initiative, open=False)
    with pytest.raises(ValidationError) as caught:
        activity_close(activity=activity, by=None)
    assert "status" in messages(caught)
    activity_open(activity=activity, by=None)
    with pytest.raises(ValidationError):
        activity_open(activity=activity, by=None)
    activity_close(activity=activity, by=None)
    with pytest.raises(ValidationError):
        activity_open(activity=activity, by=None)
    with pytest.raises(ValidationError):
        activity_close(activity=activity, by=None)


def test_a_state_change_reads_the_latest_state(initiative):
    activity = make_activity(initiative, open=False)
    stale = Activity.objects.get(pk=activity.pk)
    activity_open(activity=activity, by=None)
    with pytest.raises(ValidationError):
        activity_open(activity=stale, by=None)


def test_opening_with_a_stale_version_is_refused(initiative):
    activity = make_activity(initiative, open=False)
    activity_update(activity=activity, by=None, expected_version=1, title="Changed")
    with pytest.raises(ConflictError):
        activity_open(activity=activity, by=None, expected_version=1)


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_only_owners_and_analysts_open_and_close(initiative, user_in, role):
    activity = make_activity(initiative, open=False)
    with pytest.raises(PermissionDeniedError):
        activity_open(activity=activity, by=user_in(role))
    activity_open(activity=activity, by=user_in("analyst"))
    with pytest.raises(PermissionDeniedError):
        activity_close(activity=activity, by=user_in(role))


def test_an_activity_without_records_can_be_deleted(initiative, green):
    activity = make_activity(initiative, open=False)
    participation_add(activity=activity, stakeholder=green, by=None)
    disclosure_add(activity=activity, by=None, title="Plan", url="https://lumen.example/plan")
    activity_delete(activity=activity, by=None)
    assert not Activity.objects.exists()
    assert not Participation.objects.exists() and not Disclosure.objects.exists()


def test_an_activity_with_contributions_is_closed_not_deleted(activity):
    contribute(activity)
    with pytest.raises(ValidationError):
        activity_delete(activity=activity, by=None)
    assert Activity.objects.filter(pk=activity.pk).exists()


# Invitations and attendance


def test_inviting_a_stakeholder_records_the_day(activity, green):
    participation = participation_add(activity=activity, stakeholder=green, by=None)
    assert participation.status == "invited"
    assert participation.invited_on == timezone.localdate()


def test_a_stakeholder_is_listed_once_per_activity(activity, green):
    participation_add(activity=activity, stakeholder=green, by=None)
    with pytest.raises(ValidationError) as caught:
        participation_add(activity=activity, stakeholder=green, by=None)
    assert "stakeholder" in messages(caught)


def test_stakeholders_of_another_city_or_archived_cannot_be_invited(activity, city):
    from civitas.stakeholders.services import stakeholder_archive

    foreign = StakeholderFactory(city=CityFactory())
    with pytest.raises(ValidationError):
        participation_add(activity=activity, stakeholder=foreign, by=None)
    old = StakeholderFactory(city=city, name="Old NGO")
    stakeholder_archive(stakeholder=old, by=None)
    with pytest.raises(ValidationError):
        participation_add(activity=activity, stakeholder=old, by=None)


def test_coming_without_invitation_leaves_the_invitation_day_empty(activity, green):
    participation = participation_add(
        activity=activity, stakeholder=green, by=None, status="attended"
    )
    assert participation.invited_on is None and participation.took_part


def test_inviting_many_skips_those_already_invited(activity, city, green):
    others = [StakeholderFactory(city=city, name=f"Group {n}") for n in range(3)]
    participation_add(activity=activity, stakeholder=green, by=None)
    created = activity_invite(activity=activity, stakeholders=[green, *others, others[0]], by=None)
    assert len(created) == 3
    assert Participation.objects.filter(activity=activity).count() == 4


def test_attendance_and_representatives_are_recorded(activity, green):
    participation = participation_add(activity=activity, stakeholder=green, by=None)
    participation_update(
        participation=participation, by=None, expected_version=1,
        status="attended", represented_by="Ana, coordinator",
    )  # fmt: skip
    participation.refresh_from_db()
    assert participation.status == "attended" and participation.represented_by == "Ana, coordinator"
    with pytest.raises(ConflictError):
        participation_update(
            participation=Participation.objects.get(pk=participation.pk), by=None,
            expected_version=1, notes="late",
        )  # fmt: skip


def test_a_contributor_answers_the_invitation_of_their_own_stakeholder(
    activity, green, city, contributor_for
):
    participation = participation_add(activity=activity, stakeholder=green, by=None)
    member = contributor_for(green)
    participation_answer(participation=participation, by=member, accept=True, represented_by="Me")
    assert participation.status == "accepted" and participation.represented_by == "Me"
    participation_answer(participation=participation, by=member, accept=False)
    assert participation.status == "declined"
    other = participation_add(
        activity=activity, stakeholder=StakeholderFactory(city=city, name="Other"), by=None
    )
    with pytest.raises(PermissionDeniedError):
        participation_answer(participation=other, by=member, accept=True)
    with pytest.raises(PermissionDeniedError):
        participation_update(participation=participation, by=member, status="attended")


def test_invitations_of_closed_activities_or_with_attendance_cannot_be_answered(activity, green):
    participation = participation_add(
        activity=activity, stakeholder=green, by=None, status="attended"
    )
    with pytest.raises(ValidationError):
        participation_answer(participation=participation, by=None, accept=False)
    participation_update(participation=participation, by=None, status="invited")
    activity_close(activity=activity, by=None)
    participation.activity.refresh_from_db()
    with pytest.raises(ValidationError):
        participation_answer(participation=participation, by=None, accept=True)


def test_removing_an_invitation(activity, green, user_in):
    participation = participation_add(activity=activity, stakeholder=green, by=None)
    with pytest.raises(PermissionDeniedError):
        participation_remove(participation=participation, by=user_in("viewer"))
    participation_remove(participation=participation, by=user_in("analyst"))
    assert not Participation.objects.exists()


# Disclosure


def test_disclosure_in_time_late_or_missing(initiative, city):
    activity = make_activity(initiative)
    assert activity.disclosure_state == "missing"
    start_day = timezone.localtime(activity.starts_at).date()
    late = disclosure_add(
        activity=activity, by=None, title="Plan", url="https://lumen.example/plan",
        shared_on=start_day - timedelta(days=6),
    )  # fmt: skip
    assert Activity.objects.get(pk=activity.pk).disclosure_state == "late"
    disclosure_update(disclosure=late, by=None, shared_on=start_day - timedelta(days=7))
    assert Activity.objects.get(pk=activity.pk).disclosure_state == "in_time"
    engagement_settings_update(city=city, by=None, disclosure_lead_days=14)
    assert Activity.objects.get(pk=activity.pk).disclosure_state == "late"


def test_a_disclosure_needs_a_title_and_a_link_or_document(activity):
    with pytest.raises(ValidationError) as caught:
        disclosure_add(activity=activity, by=None, title="", url="")
    assert set(messages(caught)) == {"title", "url"}
    with pytest.raises(ValidationError) as caught:
        disclosure_add(activity=activity, by=None, title="Plan", url="not a link")
    assert "url" in messages(caught)


def test_a_disclosure_can_be_a_document(activity, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    document = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    disclosure = disclosure_add(activity=activity, by=None, title="Plan", document=document)
    assert disclosure.document.name.endswith(".pdf") and not disclosure.url
    disclosure_remove(disclosure=disclosure, by=None)
    assert not Disclosure.objects.exists()


def test_only_owners_and_analysts_record_disclosures(activity, user_in):
    for role in ("contributor", "viewer"):
        with pytest.raises(PermissionDeniedError):
            disclosure_add(activity=activity, by=user_in(role), title="P", url="https://x.example")


# Citizens' registrations


def register(activity, **values):
    defaults = {
        "name": "Rosa Lima", "email": "rosa@example.net", "consent": True,
        "submission_token": "reg-token-1",
    }  # fmt: skip
    return registration_submit(activity=activity, **{**defaults, **values})


def test_citizens_register_once_per_token(public_city, activity):
    registration, created = register(activity)
    again, created_again = register(activity)
    assert created and not created_again and again.pk == registration.pk
    register(activity, submission_token="reg-token-2")
    assert Registration.objects.count() == 2
    assert registration.consent_at is not None


def test_registration_needs_consent_a_name_and_a_channel_of_the_activity(public_city, activity):
    with pytest.raises(ValidationError) as caught:
        register(activity, name=" ", consent=False, channel="post", email="nope")
    assert set(messages(caught)) == {"name", "consent", "channel", "email"}


def test_registration_only_for_public_activities_of_public_cities(city, initiative):
    private = make_activity(initiative)
    with pytest.raises(PermissionDeniedError):
        register(private)
    public = make_activity(initiative, is_public=True, title="Open day")
    with pytest.raises(PermissionDeniedError):
        register(public)  # the city shows no public page
    engagement_settings_update(city=city, by=None, public_page=True)
    assert register(public)[1]
    activity_close(activity=public, by=None)
    with pytest.raises(ValidationError):
        register(public, submission_token="reg-token-9")


def test_attendance_of_registered_citizens(public_city, activity, user_in):
    registration, _ = register(activity)
    with pytest.raises(PermissionDeniedError):
        registration_set_attended(registration=registration, by=user_in("viewer"))
    registration_set_attended(registration=registration, by=user_in("analyst"))
    assert Registration.objects.get().attended


def test_save_once_returns_the_stored_twin_when_its_insert_fails(public_city, activity):
    """A repeated submission: its insert breaks the unique token, the first row comes back."""
    first, _ = register(activity)
    twin = Registration(
        activity=activity, name="Rosa", consent_at=timezone.now(), submission_token="reg-token-1"
    )
    stored, created = save_once(
        twin, Registration.objects.filter(activity=activity, submission_token="reg-token-1")
    )
    assert not created and stored.pk == first.pk
    assert Registration.objects.count() == 1


def test_save_once_raises_when_another_constraint_fails(public_city, activity):
    register(activity)
    twin = Registration(
        activity=activity, name="Rosa", consent_at=timezone.now(), submission_token="reg-token-1"
    )
    with pytest.raises(IntegrityError):
        save_once(twin, Registration.objects.none())
    assert Registration.objects.count() == 1


def test_a_stakeholder_with_engagement_records_is_archived_not_deleted(activity, green):
    from civitas.stakeholders.services import stakeholder_delete

    participation_add(activity=activity, stakeholder=green, by=None)
    with pytest.raises(ValidationError) as caught:
        stakeholder_delete(stakeholder=green, by=None)
    assert "Archive it instead" in str(caught.value)
