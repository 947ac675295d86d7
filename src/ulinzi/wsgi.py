"""WSGI entry point, used by `ulinzi run` (waitress) and by any WSGI server in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ulinzi.settings")
application = get_wsgi_application()
