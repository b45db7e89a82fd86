"""Base models every app shares."""

from django.db import models


class TimeStampedModel(models.Model):
    """A record that knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record edited by several people: `version` lets a stale save be refused."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
