"""Refuse a save made from a stale copy instead of overwriting someone else's change."""

from civitas.core.errors import ConflictError
from civitas.core.models import VersionedModel


def claim_version(instance: VersionedModel, expected_version: int | None) -> None:
    """Bump the stored version if it still equals `expected_version`, else raise ConflictError.

    Call inside the service's transaction, before saving: the conditional UPDATE takes the
    row's write lock, so of two concurrent saves from the same version only one succeeds.
    `expected_version` None skips the check (a change made by the system itself).
    """
    model = type(instance)
    if expected_version is None:
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True)
        expected_version = current.first() or instance.version
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not updated:
        raise ConflictError()
    instance.version = expected_version + 1
