"""The OpDef table is complete: kernels, shape functions, gradients, and gradient tests.

Every registered op type needs a numpy kernel, a shape function, and either a gradient or an
explicit NOT_DIFFERENTIABLE mark. Every op type with a gradient needs a finite-difference test:
a test file that calls `check_gradients` (tests/gradcheck.py) and names the op type as a string,
normally in `op_types=[...]`, which makes the checker assert the op is really in the graph.

Gaps that exist today are listed in KNOWN_GAPS with the reason; the test also fails when a gap
has been closed, so the list stays accurate (remove the entry then).
"""

import os
import re

import pytest

import tensorflux  # noqa: F401 - registers every op type
import tensorflux.backends.numpy  # noqa: F401 - registers the numpy kernels
from tensorflux.ops import registry

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))

# (op type, what is missing) -> why. What is missing: "kernel", "shape", "gradient" (grad=None,
# i.e. neither a rule nor NOT_DIFFERENTIABLE) or "gradient test".
KNOWN_GAPS = {
    ("Qr", "gradient"): "QR gradient not written yet (used only by orthogonal_initializer)",
    ("IfGrad", "gradient"): "second-order gradients through tf.cond are not written",
    ("WhileGrad", "gradient"): "second-order gradients through tf.while_loop are not written",
    ("ResizeArea", "gradient"): "TF registers no gradient for ResizeArea either (LookupError)",
    ("RFFT3D", "gradient"): "TF registers no gradient for RFFT3D either (LookupError)",
    ("IRFFT3D", "gradient"): "TF registers no gradient for IRFFT3D either (LookupError)",
    ("Bitcast", "gradient"): "TF registers no gradient for Bitcast either (LookupError)",
    ("IgammaGradA", "gradient"): "TF registers no gradient for IgammaGradA either (LookupError)",
    ("RandomGammaGrad", "gradient"): "TF registers no gradient for RandomGammaGrad either",
    ("FractionalMaxPoolGrad", "gradient"): "TF registers no gradient for it either",
    ("FractionalAvgPoolGrad", "gradient"): "TF registers no gradient for it either",
}

_STRING = re.compile(r"""["']([A-Z][A-Za-z0-9]*)["']""")


def _gradient_test_files():
    """op type -> test files (relative paths) that call check_gradients and name it."""
    covered = {}
    for root, _, files in os.walk(TESTS_DIR):
        if "fixtures" in root.split(os.sep):
            continue
        for f in files:
            if not (f.startswith("test_") and f.endswith(".py")) or f == "test_registry.py":
                continue
            path = os.path.join(root, f)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            if "check_gradients(" not in text:
                continue
            for name in set(_STRING.findall(text)):
                covered.setdefault(name, []).append(os.path.relpath(path, TESTS_DIR))
    return covered


def _missing():
    """Every (op type, missing thing) in the registry today."""
    covered = _gradient_test_files()
    out = set()
    for name, opdef in registry.all_ops().items():
        if "numpy" not in opdef.kernels:
            out.add((name, "kernel"))
        if not callable(opdef.shape_fn):
            out.add((name, "shape"))
        if opdef.grad is None:
            out.add((name, "gradient"))
        elif opdef.grad != registry.NOT_DIFFERENTIABLE and not callable(opdef.grad):
            out.add((name, "gradient"))
        if opdef.differentiable and name not in covered:
            out.add((name, "gradient test"))
    return out


def test_registry_is_not_empty():
    ops = registry.all_ops()
    assert len(ops) > 50
    for core in ("MatMul", "Add", "Sum", "VariableV2", "Assign", "Placeholder", "Const"):
        assert core in ops


def test_every_op_is_complete():
    missing = _missing() - set(KNOWN_GAPS)
    lines = ["%-28s missing %s" % (name, what) for name, what in sorted(missing)]
    assert not missing, (
        "op types lacking a kernel, shape function, gradient (or NOT_DIFFERENTIABLE mark), or a "
        "finite-difference test (a test file calling check_gradients(..., op_types=['Op'])):\n"
        + "\n".join(lines))


def test_known_gaps_are_still_gaps():
    stale = set(KNOWN_GAPS) - _missing()
    lines = ["%-28s %s" % (name, what) for name, what in sorted(stale)]
    assert not stale, "these KNOWN_GAPS are fixed now; remove them from the list:\n" + \
        "\n".join(lines)


def test_known_gaps_name_registered_ops():
    unknown = {name for name, _ in KNOWN_GAPS} - set(registry.all_ops())
    assert not unknown, "KNOWN_GAPS names op types that are not registered: %s" % sorted(unknown)


@pytest.mark.parametrize("name", sorted(registry.all_ops()))
def test_opdef_flags(name):
    opdef = registry.get(name)
    assert opdef.name == name
    assert isinstance(opdef.stateful, bool)
    assert all(isinstance(i, int) for i in opdef.ref_inputs)
    if opdef.ref_inputs:
        assert opdef.stateful, "%s takes a variable by reference but is not stateful" % name


def test_gradient_checker_sees_the_ops_it_checks():
    import numpy as np
    from gradcheck import SEEN_OP_TYPES, check_gradients

    import tensorflux as tf

    err = check_gradients(lambda x: tf.tanh(x) * 2.0, {"x": np.linspace(-1, 1, 5)},
                          op_types=["Tanh", "Mul"])
    assert err < 1e-6
    assert {"Tanh", "Mul", "Placeholder"} <= SEEN_OP_TYPES
    with pytest.raises(AssertionError, match="op types \\['Sin'\\] not in the graph"):
        check_gradients(lambda x: tf.tanh(x), {"x": np.ones(2)}, op_types=["Sin"])


def test_gradient_checker_catches_a_wrong_gradient():
    import numpy as np
    from gradcheck import check_gradients

    import tensorflux as tf

    x0 = np.linspace(0.5, 1.5, 4)
    def build(x):
        with tf.get_default_graph().gradient_override_map({"Sin": "Identity"}):
            return tf.sin(x)

    with pytest.raises(AssertionError, match="gradient check failed"):
        check_gradients(build, {"x": x0})
