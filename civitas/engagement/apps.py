from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "civitas.engagement"
    label = "engagement"
    verbose_name = "Engagement"
