"""Iterator ops of `tf.data`: MakeIterator, OneShotIterator and IteratorGetNext.

A `tf.data.Dataset` (see `tensorflux/data/`) is a Python description of an input pipeline whose
leaves are graph tensors. The ops here are where it meets a Session run:

    MakeIterator(dataset tensors...)     the iterator's initializer: its kernel builds the
                                         pipeline from the tensors' values (fed placeholders
                                         included) and keeps it in the session's resources
    OneShotIterator(dataset tensors...)  the same, but only the first time it runs
    IteratorGetNext()                    one output per component: the next element

All three are stateful (never folded, merged or pruned away when fetched) and not
differentiable. They have no XLA kernel, so the placer puts them on the CPU, where the numpy
backend (`backends/numpy/dataset_ops.py`) runs them.
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry

ND = registry.NOT_DIFFERENTIABLE


def _no_outputs(op):
    return []


def _get_next_shape(op):
    return list(zip(op._attrs["output_types"], op._attrs["output_shapes"]))


registry.register("MakeIterator", shape=_no_outputs, grad=ND, stateful=True)
registry.register("OneShotIterator", shape=_no_outputs, grad=ND, stateful=True)
registry.register("IteratorGetNext", shape=_get_next_shape, grad=ND, stateful=True)


def _create(graph, op_type, inputs, attrs, name):
    """Creates `op_type` in `graph` (inputs may be empty, so `make_op` cannot pick the graph)."""
    return graph.create_op(op_type, list(inputs), attrs, name=name,
                           op_def=registry.get(op_type))


def make_iterator(graph, key, dataset, name=None):
    """The op that (re)initializes iterator `key` with `dataset` when it runs.

    Example:
        >>> init = make_iterator(g, "Iterator", dataset)   # Iterator.make_initializer's op
    """
    with graph.as_default():
        return _create(graph, "MakeIterator", dataset._graph_inputs(),
                       {"shared_name": key, "_dataset": dataset}, name or "MakeIterator")


def one_shot_iterator(graph, key, dataset, name=None):
    """The op that initializes iterator `key` with `dataset` the first time it runs."""
    with graph.as_default():
        return _create(graph, "OneShotIterator", dataset._graph_inputs(),
                       {"shared_name": key, "_dataset": dataset}, name or "OneShotIterator")


def iterator_get_next(graph, key, output_types, output_shapes, control=(), name=None):
    """The op whose outputs are the next element of iterator `key` (flat components).

    Example:
        >>> op = iterator_get_next(g, "Iterator", [tf.float32], [tf.TensorShape([2])])
    """
    attrs = {"shared_name": key, "output_types": [t.base_dtype for t in output_types],
             "output_shapes": list(output_shapes)}
    with graph.as_default(), graph_lib.control_dependencies(list(control)):
        return _create(graph, "IteratorGetNext", [], attrs, name or "IteratorGetNext")
