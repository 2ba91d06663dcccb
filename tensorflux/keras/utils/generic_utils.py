"""Keras' custom-object registry: `get_custom_objects`, `CustomObjectScope` and
`custom_object_scope`, consulted when names are turned back into objects (layers, losses,
constraints, activations) while a model config or file is read.

Example:
    >>> with tf.keras.utils.custom_object_scope({"Scale": Scale}):
    ...     model = tf.keras.models.load_model("model.h5")
"""

_GLOBAL_CUSTOM_OBJECTS = {}


def get_custom_objects():
    """The global dict of custom objects (name -> class or function); edit it to register.

    Example:
        >>> tf.keras.utils.get_custom_objects()["swish2"] = swish2
    """
    return _GLOBAL_CUSTOM_OBJECTS


class CustomObjectScope:
    """Within `with CustomObjectScope({"name": obj}, ...):`, those names are known to Keras'
    deserialization; the previous registry comes back on exit."""

    def __init__(self, *args):
        self.custom_objects = args
        self.backup = None

    def __enter__(self):
        self.backup = _GLOBAL_CUSTOM_OBJECTS.copy()
        for objects in self.custom_objects:
            _GLOBAL_CUSTOM_OBJECTS.update(objects or {})
        return self

    def __exit__(self, *args):
        _GLOBAL_CUSTOM_OBJECTS.clear()
        _GLOBAL_CUSTOM_OBJECTS.update(self.backup)


def custom_object_scope(*args):
    """`CustomObjectScope(*args)`."""
    return CustomObjectScope(*args)


def lookup(name, custom_objects=None):
    """The object registered as `name` in `custom_objects` or the global registry, or None."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return _GLOBAL_CUSTOM_OBJECTS.get(name)
