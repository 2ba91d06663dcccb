"""numpy kernels for the `tf.data` iterator ops (ops/dataset_ops.py).

An iterator lives in the session's `state.resources` under ("Iterator", its key): the running
pipeline (`dataset_sources.build`) and the generator of its single top-level pass. MakeIterator
replaces it; OneShotIterator creates it once; IteratorGetNext pulls one element, raising TF's
OutOfRangeError ("End of sequence") at the end and FailedPreconditionError before any
initializer ran.
"""

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy import dataset_batching, dataset_sources
from tensorflux.graph.operation import op_error
from tensorflux.ops.registry import kernel


class _Running:
    """One initialized iterator: its element generator and the context its pipeline reads."""

    __slots__ = ("elements", "ctx")

    def __init__(self, dataset, values, state):
        self.ctx = dataset_sources.Context(state)
        epoch = dataset_sources.build(dataset, iter(values), self.ctx)
        self.elements = epoch()


def _resource_key(op):
    return ("Iterator", op._attrs["shared_name"])


@kernel("MakeIterator")
def _make_iterator(op):
    key = _resource_key(op)
    dataset = op._attrs["_dataset"]

    def run(state, *values):
        state.resources[key] = _Running(dataset, values, state)
        return ()

    return run


@kernel("OneShotIterator")
def _one_shot_iterator(op):
    key = _resource_key(op)
    dataset = op._attrs["_dataset"]

    def run(state, *values):
        if key not in state.resources:
            state.resources[key] = _Running(dataset, values, state)
        return ()

    return run


__all__ = ["dataset_batching"]  # imported for its registrations

_NOT_INITIALIZED = ("GetNext() failed because the iterator has not been initialized. Ensure "
                    "that you have run the initializer operation for this iterator before "
                    "getting the next element.")


def _as_output(value, dtype):
    npd = dtype.as_numpy_dtype
    if dtype.name == "string":
        return np.asarray(value, dtype=object)
    value = np.asarray(value)
    return value if value.dtype == npd else value.astype(npd)


@kernel("IteratorGetNext")
def _iterator_get_next(op):
    key = _resource_key(op)
    types = op._attrs["output_types"]
    multi = len(types) != 1

    def run(state, *unused):
        running = state.resources.get(key)
        if running is None:
            raise op_error(errors.FailedPreconditionError, op, "%s\n\t [[{{node %s}}]]"
                           % (_NOT_INITIALIZED, op.name))
        running.ctx.state = state
        try:
            element = next(running.elements)
        except StopIteration:
            raise op_error(errors.OutOfRangeError, op, "End of sequence\n\t [[{{node %s}}]]"
                           % op.name) from None
        except errors.OpError as e:
            if e.op is not None:
                raise
            raise op_error(type(e), op, "%s\n\t [[{{node %s}}]]" % (e.message, op.name)) from None
        outs = [_as_output(v, t) for v, t in zip(dataset_sources.expand(element), types)]
        return outs if multi else outs[0]

    return run
