"""`tf.data.Iterator`: one-shot, initializable and reinitializable (`from_structure`) iterators.

An iterator is a key in the session's resources. Its initializer (a MakeIterator op, one per
dataset it can be initialized with) builds the pipeline there; `get_next()` is an
IteratorGetNext op pulling from it (`ops/dataset_ops.py`). Two sessions have two iterators.
"""

from tensorflux.data import structure
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import dataset_ops as ops
from tensorflux.ops.func_graph import assert_same_structure, flatten


class Iterator:
    """Gets elements of a dataset one `sess.run` at a time.

    Example:
        >>> it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
        >>> x, y = it.get_next()
        >>> sess.run(it.make_initializer(train))
    """

    def __init__(self, key, output_types, output_shapes, initializer=None, one_shot=None):
        self._key = key
        self._types = output_types
        self._shapes = output_shapes
        self._initializer = initializer
        self._one_shot = one_shot
        self._graph = graph_lib.get_default_graph()

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An iterator of elements of this structure, not bound to a dataset yet.

        Example:
            >>> it = tf.data.Iterator.from_structure(tf.float32, tf.TensorShape([None, 3]))
        """
        types = structure.as_type_structure(output_types)
        if output_classes is not None:
            from tensorflux.ops.sparse_tensor import SparseTensor

            types = structure.pack_sequence_as(types, [
                structure.SparseDType(t) if c is SparseTensor else t
                for t, c in zip(flatten(types), flatten(output_classes))])
        shapes = structure.as_shape_structure(types, output_shapes)
        return Iterator(_new_key(shared_name), types, shapes)

    @property
    def output_types(self):
        return self._types

    @property
    def output_shapes(self):
        return self._shapes

    @property
    def output_classes(self):
        return structure.classes_of(self._types)

    @property
    def initializer(self):
        """The op that (re)starts the iterator on its dataset."""
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.")
        return self._initializer

    def make_initializer(self, dataset, name=None):
        """An op that (re)starts this iterator on `dataset` (which must have its structure).

        Example:
            >>> sess.run(it.make_initializer(validation_dataset))
        """
        _check_compatible(self, dataset)
        return ops.make_iterator(self._graph, self._key, dataset, name=name)

    def get_next(self, name=None):
        """The next element: a nested structure of tensors like `output_types`.

        Running it past the end raises `tf.errors.OutOfRangeError`.

        Example:
            >>> images, labels = it.get_next()
        """
        control = [self._one_shot] if self._one_shot is not None else []
        flat_types, flat_shapes = structure.expand(self._types, self._shapes)
        op = ops.iterator_get_next(self._graph, self._key, flat_types, flat_shapes, control,
                                   name=name)
        leaves = structure.regroup(self._types, op.outputs, self._shapes)
        return structure.pack_sequence_as(self._types, leaves)

    def string_handle(self, name=None):
        raise NotImplementedError("Iterator.string_handle (feedable iterators) is not supported "
                                  "by tensorflux; use Iterator.from_structure instead.")


def _new_key(shared_name=None):
    if shared_name:
        return shared_name
    return graph_lib.get_default_graph().unique_name("Iterator")


def _check_compatible(iterator, dataset):
    assert_same_structure(iterator._types, dataset.output_types)  # ValueError, as in TF
    if flatten(iterator._types) != flatten(dataset.output_types):
        raise TypeError("Expected output types %r but got dataset with output types %r."
                        % (iterator._types, dataset.output_types))
    if flatten(iterator.output_classes) != flatten(dataset.output_classes):
        raise TypeError("Expected output classes %r but got dataset with output classes %r."
                        % (iterator.output_classes, dataset.output_classes))
    for want, got in zip(flatten(iterator._shapes), flatten(dataset.output_shapes)):
        if not want.is_compatible_with(got):
            raise TypeError("Expected output shapes compatible with %r but got dataset with "
                            "output shapes %r." % (iterator._shapes, dataset.output_shapes))


def _check_not_nested(dataset):
    if any(structure.is_dataset_type(t) for t in flatten(dataset.output_types)):
        raise TypeError("A dataset of datasets (`Dataset.window`) cannot be iterated; flatten "
                        "it first with `flat_map` or `interleave`.")


def _check_no_placeholder(tensors):
    """A one-shot iterator cannot be fed: TF refuses a placeholder anywhere upstream."""
    stack, seen = [t.op for t in tensors], set()
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.type == "Placeholder":
            raise ValueError("Cannot capture a placeholder (name:%s, type:Placeholder) by value."
                             % op.name)
        stack.extend(t.op for t in op.inputs)


def make_one_shot_iterator(dataset):
    """`tf.data.make_one_shot_iterator(dataset)`: an iterator that needs no initializer.

    The dataset must not depend on placeholders (use an initializable iterator to feed one).

    Example:
        >>> x = tf.data.make_one_shot_iterator(tf.data.Dataset.range(3)).get_next()
    """
    _check_not_nested(dataset)
    _check_no_placeholder(dataset._graph_inputs())
    key = _new_key()
    op = ops.one_shot_iterator(graph_lib.get_default_graph(), key, dataset)
    return Iterator(key, dataset.output_types, dataset.output_shapes, one_shot=op)


def make_initializable_iterator(dataset, shared_name=None):
    """`tf.data.make_initializable_iterator(dataset)`: run `iterator.initializer` first.

    Example:
        >>> it = tf.data.make_initializable_iterator(tf.data.Dataset.from_tensor_slices(x_ph))
        >>> sess.run(it.initializer, {x_ph: data})
    """
    _check_not_nested(dataset)
    key = _new_key(shared_name)
    init = ops.make_iterator(graph_lib.get_default_graph(), key, dataset)
    return Iterator(key, dataset.output_types, dataset.output_shapes, initializer=init)


def get_output_types(dataset_or_iterator):
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator):
    return dataset_or_iterator.output_classes
