"""The project package as an app, so its system checks are registered when Django starts."""

from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "config"
    label = "project_config"
    verbose_name = "Repairs Online configuration"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)
