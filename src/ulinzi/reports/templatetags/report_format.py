"""Numbers as the report prints them: thousands separated by commas, whatever the server's locale."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    """``12345`` → ``12,345``; an empty value stays empty."""
    return "" if value is None else f"{int(value):,}"
