"""Forms for signing in and for API tokens."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Sign-in form with the browser hints that password managers and screen readers use."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenCreateForm(forms.Form):
    """Name a new API token after what will use it."""

    name = forms.CharField(
        max_length=100,
        help_text="What will use the token, e.g. “nightly export script”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
