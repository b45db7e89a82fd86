"""API for the signed-in user."""

from django.http import HttpRequest
from ninja import Router

from civitas.accounts.models import Membership, Role
from civitas.accounts.schemas import MembershipOut, MeOut
from civitas.core.schemas import ERRORS, acting_user

router = Router()


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I")
def me(request: HttpRequest) -> MeOut:
    """Return the signed-in user and their role in each city."""
    user = acting_user(request)
    memberships = Membership.objects.filter(user=user).select_related("city").order_by("city__name")
    return MeOut(
        id=user.pk,
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        memberships=[
            MembershipOut(
                city_slug=m.city.slug,
                city_name=m.city.name,
                role=Role(m.role),
                stakeholder_id=m.stakeholder_id,
            )
            for m in memberships
        ],
    )
