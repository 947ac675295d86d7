"""``ulinzi import population``: population per administrative area, from a CSV keyed by P-code."""
