"""Gradebook, export and announcement endpoints."""
