"""Constraints shared by the API's request schemas."""

# Text a person types: no NUL, which PostgreSQL refuses in text (a 422 naming the field, not a 500).
NO_NUL = r"^[^\x00]*$"
