"""``ulinzi import sgbv``: de-identified sexual-violence counts from CSV (GBVIMS categories)."""
