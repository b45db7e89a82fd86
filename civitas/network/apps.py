from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "civitas.network"
    label = "network"
    verbose_name = "Relationships and network analysis"
