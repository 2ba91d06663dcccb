"""tf.nn against real TensorFlow: every case of tools/fixtures/gen_nn.py, forward and backward.

For each case the same call is rebuilt with tensorflux from `cases.json` and compared with what
TensorFlow computed: the outputs (float32 tolerance), the output tensor names, the gradients for
the recorded upstream gradients, and (for some cases) the second derivatives. The same cases then
get a float64 finite-difference check of the gradient (and second derivative) along random
directions.
"""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "nn")

with open(os.path.join(FIXTURES, "cases.json")) as _f:
    CASES = json.load(_f)["cases"]
_ARRAYS = {}


def arrays(spec):
    fam = spec["family"]
    if fam not in _ARRAYS:
        _ARRAYS[fam] = dict(np.load(os.path.join(FIXTURES, fam + ".npz")))
    prefix = spec["name"] + "/"
    return {k[len(prefix):]: v for k, v in _ARRAYS[fam].items() if k.startswith(prefix)}


def build(spec, data, float_dtype=np.float32):
    """Placeholders for the case's inputs, and the outputs of the tf.nn call."""
    phs, feed, args, lists = [], {}, {}, {}
    for i, (name, shape, _) in enumerate(spec["inputs"]):
        v = data["in%d" % i]
        if v.dtype.kind == "f":
            v = v.astype(float_dtype)
        ph = tf.placeholder(tf.as_dtype(v.dtype), shape, name="in%d" % i)
        phs.append(ph)
        feed[ph] = v
        if "[" in name:
            base, idx = name[:-1].split("[")
            lists.setdefault(base, {})[int(idx)] = ph
        else:
            args[name] = ph
    for base, parts in lists.items():
        args[base] = [parts[i] for i in sorted(parts)]
    out = getattr(tf.nn, spec["fn"])(**args, **spec["kwargs"])
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    return phs, feed, outs


def _close(actual, expected, what, rtol=2e-4):
    expected = np.asarray(expected)
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, "%s: shape %s != %s" % (what, actual.shape,
                                                                   expected.shape)
    if expected.dtype.kind in "biu":
        np.testing.assert_array_equal(actual, expected, err_msg=what)
        return
    scale = max(1.0, float(np.max(np.abs(expected))) if expected.size else 1.0)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale, err_msg=what)


def _dense(g):
    """A gather gradient comes back as IndexedSlices; compare its dense value."""
    return g if g is None or isinstance(g, tf.Tensor) else tf.convert_to_tensor(g)


def _ids(cases):
    return [c["name"] for c in cases]


@pytest.mark.parametrize("spec", CASES, ids=_ids(CASES))
def test_matches_tensorflow(spec):
    data = arrays(spec)
    phs, feed, outs = build(spec, data)
    if spec.get("names", True):
        assert [o.name for o in outs] == spec["out_names"]
    assert [o.dtype.name for o in outs] == spec["out_dtypes"]
    fetch = {"out%d" % i: o for i, o in enumerate(outs)}
    xs = [phs[i] for i in spec["grad_inputs"]]
    gout = spec["grad_outputs"]
    if gout and xs:
        gys = [tf.constant(data["gy%d" % i]) for i in gout]
        grads = [_dense(g) for g in tf.gradients([outs[i] for i in gout], xs, grad_ys=gys)]
        assert [g is None for g in grads] == spec["grad_none"]
        for i, g in zip(spec["grad_inputs"], grads):
            if g is not None:
                fetch["grad%d" % i] = g
        if spec.get("second"):
            live = [(i, g) for i, g in zip(spec["grad_inputs"], grads) if g is not None]
            ggys = [tf.constant(data["ggy%d" % i]) for i, _ in live]
            second = tf.gradients([g for _, g in live], xs, grad_ys=ggys)
            assert [s is None for s in second] == spec["second_none"]
            for i, s in zip(spec["grad_inputs"], second):
                if s is not None:
                    fetch["second%d" % i] = s
    with tf.Session() as sess:
        got = sess.run(fetch, feed)
    for k, v in got.items():
        _close(v, data[k], "%s %s" % (spec["name"], k))
        if k.startswith("out"):
            assert v.dtype == data[k].dtype, k


FD_CASES = [c for c in CASES if c.get("fd", True) and c["grad_outputs"] and c["grad_inputs"]]


@pytest.mark.parametrize("spec", FD_CASES, ids=_ids(FD_CASES))
def test_finite_differences(spec):
    """Directional central differences in float64 agree with tf.gradients (and its gradient)."""
    data = arrays(spec)
    phs, feed, outs = build(spec, data, np.float64)
    gout = spec["grad_outputs"]
    gys = [tf.constant(data["gy%d" % i].astype(np.float64)) for i in gout]
    proj = tf.add_n([tf.reduce_sum(outs[i] * gy) for i, gy in zip(gout, gys)])
    # Inputs whose gradient TF leaves None on purpose (stop_gradient on v1 labels) are skipped.
    xs_idx = [i for i, none in zip(spec["grad_inputs"], spec["grad_none"]) if not none]
    xs = [phs[i] for i in xs_idx]
    grads = [_dense(g) for g in tf.gradients(proj, xs)]
    live = [(i, g) for i, g in zip(xs_idx, grads) if g is not None]
    second_proj = None
    if spec.get("second"):
        ggys = [tf.constant(data["ggy%d" % i].astype(np.float64)) for i, _ in live]
        second_proj = tf.add_n([tf.reduce_sum(g * gg) for (_, g), gg in zip(live, ggys)])
        seconds = tf.gradients(second_proj, xs)
        # TF's softmax cross-entropy gradient ignores how its saved backprop depends on the
        # labels, so the second derivative with respect to labels is TF's (partial) rule.
        seconds = [None if spec["fn"].startswith("softmax_cross") and
                   spec["inputs"][i][0] == "labels" else s for i, s in zip(xs_idx, seconds)]
    rng = np.random.RandomState(7)
    eps = 1e-6
    with tf.Session() as sess:
        for targets, fn in [(grads, proj)] + ([(seconds, second_proj)] if second_proj is not None
                                              else []):
            base = sess.run([t for t in targets if t is not None], feed)
            base = iter(base)
            for i, t in zip(xs_idx, targets):
                if t is None and targets is not grads:
                    continue
                analytic = next(base) if t is not None else 0.0
                x0 = feed[phs[i]]
                for _ in range(2):
                    v = rng.standard_normal(x0.shape)
                    up, down = dict(feed), dict(feed)
                    up[phs[i]] = x0 + eps * v
                    down[phs[i]] = x0 - eps * v
                    numeric = (sess.run(fn, up) - sess.run(fn, down)) / (2 * eps)
                    exact = float(np.sum(analytic * v))
                    assert abs(numeric - exact) <= 1e-5 * max(1.0, abs(numeric)), (
                        "%s input %d: directional derivative %r, gradient gives %r"
                        % (spec["name"], i, numeric, exact))
