"""Imports run from the web pages: the uploaded file, how far it has come, what it found."""

from django.conf import settings
from django.db import models

from civitas.core.models import TimeStampedModel


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking the file"
    CHECKED = "checked", "Checked, waiting for confirmation"
    REFUSED = "refused", "Refused: the file has problems"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Stopped"


class ImportJob(TimeStampedModel):
    """One upload to import: checked first (a preview), then imported once confirmed."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=30)
    initiative = models.ForeignKey(
        "cities.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    sheet = models.CharField(max_length=100, blank=True)
    data = models.BinaryField(help_text="The uploaded file; emptied once the job ends.")
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    stage = models.CharField(max_length=40, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["city", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} from {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)
