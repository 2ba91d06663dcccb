"""`tf.data.experimental.Optional` and `get_next_as_optional`: an element that may be
missing, so that a loop can test for the end of an iterator instead of catching
OutOfRangeError.

An Optional is a scalar variant tensor (`ops/optional_ops.py`); `has_value()` and
`get_value()` are ops on it, `get_value()` an InvalidArgumentError when it is empty.
"""

from tensorflux.data import structure
from tensorflux.ops import dataset_extra_ops, optional_ops
from tensorflux.ops.func_graph import flatten, pack_sequence_as


class Optional:
    """A value of a given structure, or nothing.

    Example:
        >>> opt = tf.data.experimental.get_next_as_optional(iterator)
        >>> x = tf.cond(opt.has_value(), lambda: opt.get_value(), lambda: default)
    """

    def __init__(self, variant, types, shapes):
        self._variant = variant
        self._types = types
        self._shapes = shapes

    @staticmethod
    def from_value(value):
        """An Optional holding `value` (a nested structure of tensors).

        Example:
            >>> tf.data.experimental.Optional.from_value((1.0, [1, 2]))
        """
        element = structure.to_element(value, name="value")
        if structure.has_sparse(structure.types_and_shapes(element)[0]):
            raise NotImplementedError("An Optional of SparseTensors is not supported by "
                                      "tensorflux.")
        types, shapes = structure.types_and_shapes(element)
        return Optional(optional_ops.optional_from_value(flatten(element)), types, shapes)

    @property
    def output_types(self):
        return self._types

    @property
    def output_shapes(self):
        return self._shapes

    @property
    def output_classes(self):
        return structure.classes_of(self._types)

    def has_value(self, name=None):
        """A scalar bool tensor: whether this Optional holds a value."""
        return optional_ops.optional_has_value(self._variant, name=name)

    def get_value(self, name=None):
        """The value (tensors nested like `output_types`); InvalidArgumentError if empty."""
        types, shapes = structure.expand(self._types, self._shapes)
        outs = optional_ops.optional_get_value(self._variant, types, shapes, name=name)
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        return pack_sequence_as(self._types, structure.regroup(self._types, list(outs),
                                                               self._shapes))


def get_next_as_optional(iterator):
    """The iterator's next element as an `Optional`, empty once the iterator is exhausted.

    Example:
        >>> opt = tf.data.experimental.get_next_as_optional(it)
        >>> more, value = opt.has_value(), opt.get_value()
    """
    types, shapes = structure.expand(iterator.output_types, iterator.output_shapes)
    control = [iterator._one_shot] if iterator._one_shot is not None else []
    variant = dataset_extra_ops.iterator_get_next_as_optional(
        iterator._graph, iterator._key, types, shapes, control)
    return Optional(variant, iterator.output_types, iterator.output_shapes)


__all__ = ["Optional", "get_next_as_optional"]
