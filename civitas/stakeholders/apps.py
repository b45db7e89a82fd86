from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "civitas.stakeholders"
    label = "stakeholders"
