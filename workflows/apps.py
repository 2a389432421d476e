from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Lifecycle"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the due-date rule)
        from .hazards import receivers as hazard_receivers  # noqa: F401  (opens hazard cases from reports)
