"""numpy kernels for variable ops (ops/state_ops.py): they read and write the session state."""

import numpy as np

from tensorflux import errors
from tensorflux.graph.operation import op_error
from tensorflux.ops import state_ops
from tensorflux.ops.registry import kernel


def _read(state, key, op):
    try:
        return state.variables[key]
    except KeyError:
        raise op_error(errors.FailedPreconditionError, op,
                       "Attempting to use uninitialized value %s\n\t [[{{node %s}}]]"
                       % (key, op.name)) from None


@kernel("Assign")
def _assign(op):
    key = state_ops.variable_key(op.inputs[0])
    validate = op._attrs.get("validate_shape", True)
    static = op.inputs[0].shape
    npd = op.inputs[0].dtype.as_numpy_dtype

    def run(state, value):
        if validate and not static.is_compatible_with(value.shape):
            raise op_error(errors.InvalidArgumentError, op,
                           "Assign requires shapes of both tensors to match. lhs shape= %s rhs "
                           "shape= %s" % (static.as_list() if static.ndims is not None else "?",
                                          list(value.shape)))
        # A copy: the value may be the caller's fed array, which they are free to modify later.
        value = np.array(value, dtype=npd)
        state.variables[key] = value
        return value
    return run


def _update(fn):
    def builder(op):
        key = state_ops.variable_key(op.inputs[0])

        def run(state, value):
            old = _read(state, key, op)
            if old.shape != np.shape(value) and np.ndim(value) != 0:
                np.broadcast_shapes(old.shape, np.shape(value))
            new = fn(old, value).astype(old.dtype, copy=False)
            state.variables[key] = new
            return new
        return run
    return builder


kernel("AssignAdd")(_update(np.add))
kernel("AssignSub")(_update(np.subtract))


@kernel("IsVariableInitialized")
def _is_init(op):
    key = state_ops.variable_key(op.inputs[0])
    return lambda state: np.array(key in state.variables)


@kernel("VariableV2")
def _variable(op):
    key = op.name
    return lambda state: _read(state, key, op)
