"""The REST API: one Ninja router per app, mounted under ``/api/``."""
