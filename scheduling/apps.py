from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (follows the lifecycle: frees appointments, reports completion)
