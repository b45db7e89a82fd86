"""API shapes for the signed-in user and their memberships."""

from ninja import Schema

from civitas.accounts.models import Role


class MembershipOut(Schema):
    city_slug: str
    city_name: str
    role: Role
    stakeholder_id: int | None = None


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    memberships: list[MembershipOut]
