"""Dated rule data tables."""
