"""Small helpers shared across tensorflux that need nothing beyond the standard library."""
