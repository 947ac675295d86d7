import logging

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ulinzi.reports"
    label = "reports"
    verbose_name = "Situation reports"

    def ready(self) -> None:
        # WeasyPrint logs every rendering step at INFO; a report is one line in the audit log, not
        # a dozen in the server's. Its warnings (a refused URL, a font not found) still show.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
