"""``ulinzi import roads``: road lines (e.g. exported from OpenStreetMap) for routing."""
