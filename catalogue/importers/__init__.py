"""Bulk registration of catalogue metadata from files (data dictionaries)."""
