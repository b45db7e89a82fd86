from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "civitas.network"
    label = "network"
    verbose_name = "Relationships and network analysis"

    def ready(self) -> None:
        from civitas.network.imports import RELATIONSHIP_IMPORTER
        from civitas.stakeholders.imports import register_importer

        # Relationships are imported like the registry: same pages, API, CLI and templates.
        register_importer(RELATIONSHIP_IMPORTER)
