from django.apps import AppConfig


class MemorandumConfig(AppConfig):
    """The project package itself: base templates, static files, checks and shared tags."""

    name = "memorandum"
    verbose_name = "Memorandum"

    def ready(self) -> None:
        from memorandum import checks  # noqa: F401  (registers the system checks)
