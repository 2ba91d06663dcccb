"""Runnable applications behind the `tensorflux` command (training, inspection)."""
