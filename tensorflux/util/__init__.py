"""Utilities TF1-era code imports from `tensorflow.python.util`: `deprecation`, `nest`."""
