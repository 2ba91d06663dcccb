"""The `tf.metrics` implementations; `tensorflux/metrics.py` is the public list."""
