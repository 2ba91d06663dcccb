"""The pass pipeline: a plain ordered list of plan → plan functions.

With TENSORFLUX_DEBUG=1 the plan is printed after each pass.
"""

from tensorflux.client import plan as plan_lib
from tensorflux.passes import constant_folding, cse, fusion, simplify

PASSES = [cse.eliminate, constant_folding.fold, simplify.simplify, fusion.fuse]


def run(plan, config=None):
    for p in PASSES:
        plan = p(plan, config)
        if plan_lib.debug_enabled():
            print("after %s:\n%s" % (p.__module__.rsplit(".", 1)[-1], plan))
    return plan
