"""numpy kernels of the whole-pipeline ops (ops/dataset_extra_ops.py): DatasetCardinality,
DatasetToSingleElement and DatasetToTFRecord."""

import numpy as np

from tensorflux import tf_record
from tensorflux.backends.numpy import (
    dataset_cardinality,
    dataset_extra,
    dataset_readers,
    dataset_sources,
)
from tensorflux.backends.numpy.dataset_ops import _as_output
from tensorflux.ops.registry import kernel

__all__ = ["dataset_extra", "dataset_readers"]  # imported for their registrations


@kernel("DatasetCardinality")
def _dataset_cardinality(op):
    dataset = op._attrs["_dataset"]

    def run(state, *values):
        return np.asarray(dataset_cardinality.cardinality(dataset, iter(values)),
                          dtype=np.int64)

    return run


def _elements(dataset, values, state):
    return dataset_sources.build(dataset, iter(values), dataset_sources.Context(state))()


@kernel("DatasetToSingleElement")
def _dataset_to_single_element(op):
    dataset = op._attrs["_dataset"]
    types = op._attrs["output_types"]

    def run(state, *values):
        elements = _elements(dataset, values, state)
        first = next(elements, None)
        if first is None:
            raise ValueError("Dataset was empty.")
        if next(elements, None) is not None:
            raise ValueError("Dataset had more than one element.")
        outs = [_as_output(v, t) for v, t in zip(dataset_sources.expand(first), types)]
        return outs if len(outs) != 1 else outs[0]

    return run


@kernel("IteratorGetNextAsOptional")
def _iterator_get_next_as_optional(op):
    from tensorflux import errors
    from tensorflux.backends.numpy.dataset_ops import _NOT_INITIALIZED, _resource_key
    from tensorflux.backends.numpy.optional_ops import OptionalValue
    from tensorflux.graph.operation import op_error

    key = _resource_key(op)
    types = op._attrs["output_types"]

    def run(state):
        running = state.resources.get(key)
        if running is None:
            raise op_error(errors.FailedPreconditionError, op, "%s\n\t [[{{node %s}}]]"
                           % (_NOT_INITIALIZED, op.name))
        running.ctx.state = state
        element = next(running.elements, None)
        if element is None:
            return OptionalValue()
        return OptionalValue(tuple(_as_output(v, t) for v, t in
                                   zip(dataset_sources.expand(element), types)))

    return run


@kernel("DatasetToTFRecord")
def _dataset_to_tf_record(op):
    dataset = op._attrs["_dataset"]
    compression = op._attrs["compression"]

    def run(state, *values):
        filename = np.asarray(values[-1]).item()
        filename = filename.decode() if isinstance(filename, bytes) else str(filename)
        records = [np.asarray(e[0]).item() for e in _elements(dataset, values[:-1], state)]
        with tf_record.TFRecordWriter(filename, compression or None) as writer:
            for record in records:
                writer.write(record)
        return ()

    return run
