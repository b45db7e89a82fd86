"""What every app's forms share."""

from django import forms

from civitas.core.errors import ValidationError, error_messages


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it can, else on top."""
    for field, messages in error_messages(error).items():
        shown = form.fields.get(field) if field else None
        if shown is not None and not shown.widget.is_hidden and not shown.disabled:
            form.add_error(field, messages)
        elif field in ("__all__", None):
            form.add_error(None, messages)
        else:
            label = field.replace("_", " ").capitalize()
            form.add_error(None, [f"{label}: {message}" for message in messages])
