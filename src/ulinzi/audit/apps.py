from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ulinzi.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from ulinzi.audit import services

        # Changes recorded deep in a service know the user but not the request; the address comes
        # from here (issue #7).
        request_started.connect(services.note_request_address, dispatch_uid="ulinzi.audit.address")
        request_finished.connect(services.forget_request_address, dispatch_uid="ulinzi.audit.address")
