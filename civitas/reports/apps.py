from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "civitas.reports"
    label = "reports"
