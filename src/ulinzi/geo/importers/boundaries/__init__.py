"""``ulinzi import boundaries``: administrative areas from a COD-AB GeoJSON file."""
