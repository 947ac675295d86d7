"""``ulinzi import gazetteer``: named places (admin units and user places) for geocoding."""
