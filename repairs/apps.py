from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "repairs"

    def ready(self) -> None:
        # Models and receivers of the resident journey live beside the core models, in their own modules.
        from . import photos, status_cache  # noqa: F401
