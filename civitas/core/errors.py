"""Errors raised by services; views, the API and the CLI turn them into messages."""

from django.core.exceptions import ValidationError

__all__ = ["ConflictError", "PermissionDeniedError", "ValidationError"]


class ConflictError(Exception):
    """Someone else saved the record since it was read; the save was refused."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Someone else changed this record after you opened it. "
            "Reload it to see their changes, then apply yours again."
        )


class PermissionDeniedError(Exception):
    """The user may not do this."""


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    """Return a ValidationError as {field: [messages]}, with "__all__" for the rest."""
    if hasattr(error, "error_dict"):
        return {
            field: [message for err in errors for message in err.messages]
            for field, errors in error.error_dict.items()
        }
    return {"__all__": list(error.messages)}
