"""Operations that exist only in a plan: passes create them, the graph never sees them.

They are ordinary `Operation`s (kernels, shape functions and error messages work as usual), but
they are not added to the graph's op list and their inputs do not record them as consumers, so
building a plan never changes the user's graph (nor its version, which keys the plan cache).
"""

from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import registry


def new_op(like, name, op_type, inputs, attrs, device="", control_inputs=()):
    """A plan-only op of `op_type` reading `inputs` (after `control_inputs`), in `like`'s
    graph; outputs inferred.

    `like` is the graph op the new one stands for: its id orders the new op where a plan must
    break ties, and its traceback is the one errors point at.
    """
    op = Operation(like.graph, name, op_type, inputs, attrs, device, control_inputs,
                   registry.get(op_type))
    op._id = like._id
    op._traceback = like._traceback
    op._outputs = [Tensor(op, i, dt, shp) for i, (dt, shp) in enumerate(op.op_def.infer(op))]
    return op
