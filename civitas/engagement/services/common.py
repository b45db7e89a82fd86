"""Helpers every engagement service shares: checks, history authors, codes and cleaning."""

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar, overload

from django.db import IntegrityError, models, router, transaction
from django.utils import timezone

from civitas.accounts.models import User
from civitas.core.errors import ValidationError
from civitas.core.fields import normalize_set
from civitas.core.permissions import require

M = TypeVar("M", bound=models.Model)

Errors = dict[str, list[str]]

MAX_TEXT = 20_000
MAX_TOPICS = 12
MAX_TOPIC_LENGTH = 60


def check(by: User | None, permission: str, obj: Any) -> None:
    """Check a user's permission; `by` None is the system itself (the CLI, the demo)."""
    if by is not None:
        require(by, permission, obj)


def stamp(instance: Any, by: User | None) -> None:
    """Record `by` as the author of the change in the instance's history, if it keeps one."""
    if by is not None:
        instance._history_user = by


def new_tracking_code() -> str:
    """Return an unguessable code that lets a citizen find their record again."""
    return secrets.token_urlsafe(12)


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
def aware(value: datetime | None) -> datetime | None:
    """Return a datetime with a time zone (naive ones are read in the site's zone)."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def clean_fields(instance: models.Model, errors: Errors, exclude: Iterable[str] = ()) -> None:
    """Validate the instance's own fields (choices, lengths, e-mail) into `errors`."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            bucket = errors.setdefault(field, [])
            bucket.extend([message for message in messages if message not in bucket])


def required_text(value: str, field: str, message: str, errors: Errors) -> str:
    """Return the text trimmed, noting `message` under `field` when it is empty or too long."""
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    elif len(value) > MAX_TEXT:
        errors.setdefault(field, []).append(f"Keep it under {MAX_TEXT:,} characters.")
    return value


def normalize_topics(topics: Iterable[str] | str | None, errors: Errors) -> list[str]:
    """Return topic tags lower-cased and trimmed, without duplicates."""
    if isinstance(topics, str):
        topics = topics.replace(",", ";").split(";")
    values = normalize_set(str(topic).strip().lower() for topic in (topics or []))
    if len(values) > MAX_TOPICS:
        errors.setdefault("topics", []).append(f"Give at most {MAX_TOPICS} topics.")
    if any(len(value) > MAX_TOPIC_LENGTH or "|" in value for value in values):
        errors.setdefault("topics", []).append(
            f"A topic is a short word or phrase of at most {MAX_TOPIC_LENGTH} characters, "
            "without '|'."
        )
    return values


def save_once(instance: M, duplicates: "models.QuerySet[M]") -> tuple[M, bool]:
    """Save a submission once: insert it, or return its stored twin from `duplicates`.

    The unique constraint on the submission token decides: the insert of a repeated or
    parallel submission fails, and the row stored first is returned instead. So a first
    submission, the usual case, costs one insert and no look-up. Inside a transaction the
    insert runs in a savepoint, so that the transaction survives the failure; outside one
    it runs alone (autocommit), so that no lock is held before or after it. Call it
    outside a transaction only for a model whose save is a single insert (no history).
    """
    using = router.db_for_write(type(instance), instance=instance)
    try:
        if transaction.get_connection(using).in_atomic_block:
            with transaction.atomic(using=using):
                instance.save(using=using)
        else:
            instance.save(using=using)
    except IntegrityError:
        existing = duplicates.first()
        if existing is None:  # another constraint failed: not a twin
            raise
        return existing, False
    return instance, True


def refresh_locked(instance: models.Model) -> None:
    """Read the instance's row again under a lock, so that a state change sees the latest state.

    Related objects already loaded stay cached; only the row's own columns are refreshed.
    """
    model = type(instance)
    fresh = model._default_manager.select_for_update().get(pk=instance.pk)
    for field in model._meta.concrete_fields:
        setattr(instance, field.attname, getattr(fresh, field.attname))
