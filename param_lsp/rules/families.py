"""Imports every rule family module so that the registry is complete."""
