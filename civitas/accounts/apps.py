from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "civitas.accounts"
    label = "accounts"
