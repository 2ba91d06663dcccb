"""numpy kernels for TF 1.x control flow (ops/switch_merge_ops.py): Switch, Merge and friends.

They only make sense in the dead-aware run loop (dead_loop.py), which never calls a kernel with
a dead input except Merge's, and never calls ControlTrigger's with anything.
"""

import numpy as np

from tensorflux.backends.numpy.dead_loop import DEAD
from tensorflux.ops import state_ops
from tensorflux.ops.registry import kernel


def _branch(pred, value):
    """(output_false, output_true): `value` on the side `pred` selects, DEAD on the other."""
    if np.ndim(pred) != 0:
        raise ValueError("The second input must be a scalar, but it has shape %s"
                         % list(np.shape(pred)))
    return (DEAD, value) if pred else (value, DEAD)


@kernel("Switch")
def _switch(op):
    return lambda data, pred: _branch(pred, data)


@kernel("RefSwitch")
def _ref_switch(op):
    key = state_ops.variable_key(op.inputs[0])

    def run(state, pred):
        # the live output stands for the variable; a reader by value sees its current value
        return _branch(pred, state.variables.get(key))
    return run


def _merge(op):
    def run(*values):
        for i, v in enumerate(values):
            if v is not DEAD:
                return v, np.array(i, np.int32)
        raise ValueError("Merge of dead inputs only")  # the run loop never calls it then
    return run


kernel("Merge")(_merge)
kernel("RefMerge")(_merge)


@kernel("ControlTrigger")
def _control_trigger(op):
    return lambda: ()
