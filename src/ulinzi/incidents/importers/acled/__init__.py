"""``ulinzi import acled``: events from an ACLED export (CSV)."""
