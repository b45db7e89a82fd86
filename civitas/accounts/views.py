"""Pages for a user's own account: API tokens (sign-in pages are Django's, with our templates)."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from civitas.accounts.forms import TokenCreateForm
from civitas.accounts.models import ApiToken, User
from civitas.accounts.services import token_create, token_revoke
from civitas.core.errors import PermissionDeniedError, ValidationError
from civitas.core.forms import add_service_errors


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """List the user's API tokens and create one; a new token's key is shown on this response only."""
    user = cast(User, request.user)
    form = TokenCreateForm(request.POST or None)
    new_token: ApiToken | None = None
    raw_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            new_token, raw_key = token_create(user=user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = TokenCreateForm()
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at")
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "raw_key": raw_key},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's tokens, after confirmation."""
    user = cast(User, request.user)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        if token.revoked_at is not None:
            messages.info(request, f"The token “{token.name}” was already revoked.")
        else:
            try:
                token_revoke(token=token, by=user)
            except PermissionDeniedError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    f"The token “{token.name}” is revoked: programs using it can no longer "
                    "reach the API.",
                )
        return redirect("accounts:tokens")
    return render(
        request,
        "accounts/token_revoke.html",
        {
            "token": token,
            "question": f"Revoke the token “{token.name}”?",
            "details": "Programs using it will be refused by the API at once. "
            "This cannot be undone; you can create a new token afterwards.",
            "action_url": reverse("accounts:token_revoke", args=[token.pk]),
            "cancel_url": reverse("accounts:tokens"),
            "button_label": "Revoke the token",
        },
    )
