"""The REST API under /api/v1/: one router per app, bearer tokens or the browser session."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from civitas.accounts.api import router as accounts_router
from civitas.accounts.services import token_authenticate
from civitas.catalogue.api import router as catalogue_router
from civitas.cities.api import router as cities_router
from civitas.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
    error_messages,
)
from civitas.stakeholders.api import router as stakeholders_router


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a token created in the UI or the CLI."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            # A token was sent but is unknown or revoked: refuse rather than fall back.
            raise AuthenticationError(message="This token is unknown or has been revoked.")
        request.user = user
        return user


class BrowserSession(SessionAuth):
    """The signed-in browser session; changes made with it must carry the CSRF token.

    Ninja's SessionAuth checks CSRF before it knows whether there is a session at all, which
    would answer an anonymous POST with 403 instead of 401; here the check runs once a
    session user is found.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        return request.user


api = NinjaAPI(
    title="Civitas API",
    version="1",
    description="Stakeholder engagement for smart sustainable cities (ITU-T Y.Sup34).",
    auth=[BearerToken(), BrowserSession()],
    urls_namespace="api",
)
api.add_router("/", accounts_router, tags=["accounts"])
api.add_router("/catalogue", catalogue_router, tags=["catalogue"])
api.add_router("/cities", cities_router, tags=["cities"])
api.add_router("/cities", stakeholders_router, tags=["stakeholders"])
api.add_router("/", "civitas.engagement.api.router")
api.add_router("/", "civitas.reports.api.router", tags=["imports and exports"])
api.add_router("/", "civitas.network.api.router", tags=["network"])
api.add_router("/", "civitas.health.api.router")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Invalid input.", "errors": error_messages(exc)}, status=422
    )


def _field_of(location: list[Any] | tuple[Any, ...]) -> str:
    """Return the input field an error location points to, e.g. ("body", "payload", "name")."""
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        source, parts = parts[0], parts[1:]
        if source == "body":
            parts = parts[1:]  # drop the handler's parameter name: the body itself is "__all__"
    return ".".join(parts) or "__all__"


@api.exception_handler(RequestValidationError)
def on_request_validation_error(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        field = _field_of(error.get("loc", ()))
        message = str(error.get("msg", "Invalid value.")).removeprefix("Value error, ")
        if error.get("type") == "missing":
            message = "Send a JSON body." if field == "__all__" else "This field is required."
        errors.setdefault(field, []).append(message)
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="civitas"'
    return response


@api.exception_handler(PermissionDeniedError)
def on_permission_denied(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(PermissionDenied)
def on_role_lacks_permission(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "Your role in this city does not allow this."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(ConflictError)
def on_conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Services validate first; a constraint still failing means a concurrent save won the race.
    return api.create_response(request, {"detail": str(ConflictError())}, status=409)


@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(Http404)
def on_http_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)
