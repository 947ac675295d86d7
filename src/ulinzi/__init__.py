"""Ulinzi: mission information and situational awareness."""
