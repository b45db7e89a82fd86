from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "civitas.health"
    label = "health"
    verbose_name = "Engagement health check"
