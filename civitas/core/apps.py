from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civitas.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from civitas.core import fields  # noqa: F401  (registers the `has` lookup)
