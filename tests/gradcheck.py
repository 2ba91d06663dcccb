"""Finite-difference gradient checker shared by every op test.

    from gradcheck import check_gradients

    def test_sin_grad():
        check_gradients(lambda x: tf.sin(x), {"x": rng.randn(3, 4)}, op_types=["Sin"])

`check_gradients` builds the graph in a fresh `tf.Graph` with one float64 placeholder per input,
draws a random array `r_k` for every output `y_k`, computes `tf.gradients(ys, xs, grad_ys=r)`
(the gradient of the projection `sum_k <y_k, r_k>`) and compares it with central differences of
the same projection. It returns the max relative error and raises AssertionError above `tol`.

Every op type the forward graph contains is added to `SEEN_OP_TYPES` (for coverage reports), and
`op_types` asserts that the ops a test means to check are really in the graph.
"""

import numpy as np

import tensorflux as tf

SEEN_OP_TYPES = set()


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def check_gradients(build_fn, inputs, *, op_types=(), wrt=None, tol=1e-5, eps=1e-6, seed=0,
                    allow_none=(), config=None):
    """Compares `tf.gradients` with central finite differences; returns the max relative error.

    Args:
        build_fn: `build_fn(*tensors) -> Tensor or list of Tensors`, called with one placeholder
            per entry of `inputs`, in order (float inputs become float64, others keep their
            dtype).
        inputs: dict name -> numpy value (the point where the gradient is checked).
        op_types: op types that must appear in the built graph (what the test means to cover).
        wrt: names to differentiate (default: every floating-point input).
        tol: the largest allowed `|analytic - numeric| / max(1, |numeric|)`.
        eps: the finite-difference step.
        seed: seed of the random projection.
        allow_none: names whose gradient may be None (then it is checked to be zero).
        config: a `tf.ConfigProto` for the session (e.g. to pick a backend).
    """
    rng = np.random.RandomState(seed)
    values = {}
    for k, v in inputs.items():
        v = np.asarray(v)
        values[k] = v.astype(np.float64) if v.dtype.kind in "f" else v
    if wrt is None:
        wrt = [k for k, v in values.items() if v.dtype.kind == "f"]
    g = tf.Graph()
    with g.as_default():
        phs = {k: tf.placeholder(tf.as_dtype(v.dtype), v.shape, name=k)
               for k, v in values.items()}
        ys = _as_list(build_fn(*phs.values()))
        for y in ys:
            if not isinstance(y, tf.Tensor):
                raise TypeError("build_fn must return Tensors, got %r" % (y,))
        types = {op.type for op in g.get_operations()}
        SEEN_OP_TYPES.update(types)
        missing = [t for t in op_types if t not in types]
        assert not missing, "op types %s not in the graph (it has %s)" % (missing, sorted(types))
        feed = {phs[k]: v for k, v in values.items()}
        with tf.Session(graph=g, config=config) as sess:
            y_vals = sess.run(ys, feed)
            projections = [rng.standard_normal(np.shape(y)).astype(np.asarray(y).dtype)
                           for y in y_vals]
            gy = [tf.placeholder(y.dtype, np.shape(v), name="grad_y")
                  for y, v in zip(ys, projections)]
            xs = [phs[k] for k in wrt]
            grads = tf.gradients(ys, xs, grad_ys=gy)
            for k, gr in zip(wrt, grads):
                if gr is None and k not in allow_none:
                    raise AssertionError("tf.gradients returned None for input %r" % k)
            feed_g = dict(feed)
            feed_g.update(zip(gy, projections))
            analytic = sess.run([gr for gr in grads if gr is not None], feed_g)
            analytic = iter(analytic)
            analytic = [np.zeros_like(values[k]) if gr is None else next(analytic)
                        for k, gr in zip(wrt, grads)]

            run_ys = sess.make_callable(ys, [phs[k] for k in values])

            def project(vals):
                outs = run_ys(*[vals[k] for k in values])
                return sum(float(np.sum(np.asarray(o, np.float64) * r))
                           for o, r in zip(outs, projections))

            worst = 0.0
            report = []
            for k, a in zip(wrt, analytic):
                a = np.asarray(a, np.float64)
                if a.shape != values[k].shape:
                    raise AssertionError("gradient of %r has shape %s, input has shape %s"
                                         % (k, a.shape, values[k].shape))
                numeric = np.zeros(values[k].shape, np.float64)
                for i in np.ndindex(*values[k].shape):
                    shifted = dict(values)
                    x = values[k].copy()
                    x[i] += eps
                    shifted[k] = x
                    up = project(shifted)
                    x = values[k].copy()
                    x[i] -= eps
                    shifted[k] = x
                    down = project(shifted)
                    numeric[i] = (up - down) / (2 * eps)
                err = np.abs(a - numeric) / np.maximum(1.0, np.abs(numeric))
                e = float(err.max()) if err.size else 0.0
                worst = max(worst, e)
                report.append("%s: max rel error %.3g\n  analytic %s\n  numeric  %s"
                              % (k, e, a.ravel()[:8], numeric.ravel()[:8]))
    if not worst <= tol:
        raise AssertionError("gradient check failed (tol %g):\n%s" % (tol, "\n".join(report)))
    return worst
