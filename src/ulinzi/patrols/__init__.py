"""Patrols: plans, GPS tracks, and the effort and coverage derived from them (issue #8)."""
