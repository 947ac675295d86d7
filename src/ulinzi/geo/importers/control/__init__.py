"""``ulinzi import control``: territorial-control polygons with their actor and validity dates."""
