"""The pass pipeline: a plain ordered list of plan → plan functions.

Plans arrive placed (every op has a device). Layout choice runs before fusion and mixed
precision (they see the channels-last ops it makes). Mixed precision runs before fusion (a rewritten
matrix product is no longer fused with its bias); concurrency scheduling runs after fusion
(it costs the ops that will actually run) and device partitioning (transfers) runs after
it, since it needs every op the other passes leave. Memory planning comes last: it describes
the exact ops each segment runs. With TENSORFLUX_DEBUG=1 the plan is printed after each pass.
"""

from tensorflux.client import plan as plan_lib
from tensorflux.passes import (
    concurrency,
    constant_folding,
    cse,
    fusion,
    layout,
    memory,
    mixed_precision,
    simplify,
    transfers,
)

PASSES = [cse.eliminate, constant_folding.fold, simplify.simplify, layout.choose,
          mixed_precision.rewrite, fusion.fuse, concurrency.schedule, transfers.partition,
          memory.plan_memory]


def run(plan, config=None):
    for p in PASSES:
        plan = p(plan, config)
        if plan_lib.debug_enabled():
            print("after %s:\n%s" % (p.__module__.rsplit(".", 1)[-1], plan))
    return plan
