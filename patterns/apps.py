from django.apps import AppConfig


class PatternsConfig(AppConfig):
    name = "patterns"
    verbose_name = "Pattern generation"

    def ready(self):
        from jobs.registry import job_kind_register

        job_kind_register(kind="pattern", execute="patterns.services.pattern_job_execute")
        job_kind_register(kind="fabric", execute="patterns.fabric.fabric_job_execute")
