"""Destek: a help desk built around the support address a business already has."""

__version__ = "0.1.0"
