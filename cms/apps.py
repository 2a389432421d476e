from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"

    def ready(self) -> None:
        from cms.page_cache import connect_invalidation

        connect_invalidation()
