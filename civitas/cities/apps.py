from django.apps import AppConfig


class CitiesConfig(AppConfig):
    name = "civitas.cities"
    label = "cities"
