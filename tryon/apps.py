from django.apps import AppConfig


class TryonConfig(AppConfig):
    name = "tryon"
    verbose_name = "Photo try-on"

    def ready(self):
        from jobs.registry import job_kind_register

        job_kind_register(kind="tryon", execute="tryon.services.tryon_job_execute")
