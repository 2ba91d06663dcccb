"""Ops that run a whole `tf.data` pipeline in one step: DatasetCardinality,
DatasetToSingleElement and DatasetToTFRecord; and IteratorGetNextAsOptional, an iterator's next
element as an Optional (empty at the end instead of OutOfRangeError).

Like the iterator ops (`ops/dataset_ops.py`), each takes every graph tensor of its dataset as
input (`Dataset._graph_inputs`) and carries the dataset description as the `_dataset` attr;
the numpy kernels (`backends/numpy/dataset_extra_ops.py`) build the pipeline from the values.
All are stateful (a pipeline may hold random functions, a writer has a side effect) and not
differentiable.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry

ND = registry.NOT_DIFFERENTIABLE


def _cardinality_shape(op):
    return [(dtypes.int64, tensor_shape.TensorShape([]))]


def _single_element_shape(op):
    return list(zip(op._attrs["output_types"], op._attrs["output_shapes"]))


registry.register("DatasetCardinality", shape=_cardinality_shape, grad=ND, stateful=True)
registry.register("DatasetToSingleElement", shape=_single_element_shape, grad=ND,
                  stateful=True)
registry.register("DatasetToTFRecord", shape=lambda op: [], grad=ND, stateful=True)
registry.register("IteratorGetNextAsOptional", grad=ND, stateful=True,
                  shape=lambda op: [(dtypes.variant, tensor_shape.TensorShape([]))])


def _create(op_type, dataset, attrs, name, extra=()):
    graph = graph_lib.get_default_graph()
    attrs = dict(attrs, _dataset=dataset)
    with graph.as_default():
        return graph.create_op(op_type, list(dataset._graph_inputs()) + list(extra), attrs,
                               name=name, op_def=registry.get(op_type))


def dataset_cardinality(dataset, name=None):
    """The int64 scalar number of elements of `dataset` (-1 infinite, -2 unknown)."""
    return _create("DatasetCardinality", dataset, {}, name or "DatasetCardinality").outputs[0]


def dataset_to_single_element(dataset, types, shapes, name=None):
    """The flat components of the only element of `dataset`."""
    attrs = {"output_types": list(types), "output_shapes": list(shapes)}
    return _create("DatasetToSingleElement", dataset, attrs,
                   name or "DatasetToSingleElement").outputs


def dataset_to_tf_record(dataset, filename, compression, name=None):
    """The op that writes every (scalar string) element of `dataset` to `filename`."""
    return _create("DatasetToTFRecord", dataset, {"compression": compression},
                   name or "DatasetToTFRecord", [filename])


def iterator_get_next_as_optional(graph, key, output_types, output_shapes, control=(),
                                  name=None):
    """The op whose variant output is an Optional of iterator `key`'s next element."""
    attrs = {"shared_name": key, "output_types": list(output_types),
             "output_shapes": list(output_shapes)}
    with graph.as_default(), graph_lib.control_dependencies(list(control)):
        return graph.create_op("IteratorGetNextAsOptional", [], attrs,
                               name=name or "IteratorGetNextAsOptional",
                               op_def=registry.get("IteratorGetNextAsOptional")).outputs[0]


__all__ = ["dataset_cardinality", "dataset_to_single_element", "dataset_to_tf_record",
           "iterator_get_next_as_optional"]
