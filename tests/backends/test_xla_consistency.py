"""Every op type with an XLA kernel runs on both backends here, and the results must agree.

Each case is a small graph whose data inputs are placeholders (so the XLA kernels run inside the
compiled executable instead of being evaluated while tracing). `test_every_xla_kernel_has_a_case`
walks the registry: an op type with an XLA kernel and no case here fails it.
"""

import numpy as np
import pytest

pytest.importorskip("jax")

import tensorflux as tf  # noqa: E402
from tensorflux import backends  # noqa: E402
from tensorflux.backends.xla import compiler  # noqa: E402
from tensorflux.client.fetch import FetchMapper  # noqa: E402
from tensorflux.ops import registry, training_ops  # noqa: E402

backends.get("xla")
RNG = np.random.default_rng(1234)
CASES = {}


def case(name):
    def deco(fn):
        CASES[name] = fn
        return fn
    return deco


class Inputs:
    """Builds placeholders for test values and remembers the feeds."""

    def __init__(self):
        self.feeds = {}

    def __call__(self, value, dtype=None):
        value = np.asarray(value, dtype)
        p = tf.placeholder(tf.as_dtype(value.dtype), value.shape)
        self.feeds[p] = value
        return p

    def dynamic(self, value):
        """A placeholder of unknown shape (its Shape/Size/Rank are not folded at build time)."""
        value = np.asarray(value)
        p = tf.placeholder(tf.as_dtype(value.dtype), None)
        self.feeds[p] = value
        return p

    def uniform(self, shape, lo=-1.0, hi=1.0, dtype=np.float32):
        return self(RNG.uniform(lo, hi, shape).astype(dtype))

    def ints(self, shape, lo=-9, hi=10, dtype=np.int32):
        return self(RNG.integers(lo, hi, shape).astype(dtype))


def xla_config():
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    return config


@pytest.fixture(autouse=True)
def _backends(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_BACKEND", "numpy")
    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")
    monkeypatch.setattr(compiler, "_STRICT", True)


def xla_runners(sess):
    return [r.call for r in sess._runners.values() if isinstance(r.call, compiler.PlanRunner)]


def build(fn):
    g = tf.Graph()
    with g.as_default():
        inputs = Inputs()
        fetches = fn(inputs)
        variables = tf.global_variables()
        init = tf.variables_initializer(variables) if variables else None
    return g, inputs.feeds, fetches, variables, init


def run_on(backend, g, feeds, fetches, variables, init):
    with tf.Session(graph=g, config=xla_config() if backend == "xla" else None) as sess:
        if init is not None:
            sess.run(init)
        out = sess.run(fetches, feeds)
        var_values = sess.run(variables) if variables else []
        if backend == "xla":
            runners = xla_runners(sess)
            assert runners and all(r.mode == "xla" for r in runners), \
                [r.mode for r in runners]
            assert all(e is not compiler._NUMPY for r in runners for e in r.entries.values())
    return out, var_values


def assert_same(got, want, what):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (what, got.dtype, want.dtype)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    if got.dtype.kind in "fc":
        tol = {2: 1e-2, 4: 1e-4}.get(got.dtype.itemsize // (2 if got.dtype.kind == "c" else 1),
                                     1e-10)
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(got, want, err_msg=what)


# Plan-only ops that only partitioned (multi-device) plans contain; tested with those plans.
ELSEWHERE = {"_Send", "_Recv"}


def test_every_xla_kernel_has_a_case():
    covered = set(RANDOM_OPS) | ELSEWHERE
    for fn in CASES.values():
        g, feeds, fetches, _, _ = build(fn)
        with tf.Session(graph=g, config=xla_config()) as sess:
            elements = FetchMapper(g, fetches).elements
            runner = sess._make_runner(tuple(elements), tuple(feeds))
            covered.update(op.type for op in runner.plan.ops)
            covered.update(op.type for op in g.get_operations())
    with_kernel = {n for n, d in registry.all_ops().items() if "xla" in d.kernels}
    missing = sorted(with_kernel - covered)
    assert missing == [], missing


# --- elementwise math ---------------------------------------------------------------------------
UNARY = {  # op type -> (low, high) of the float32 test values
    "Neg": (-3, 3), "Abs": (-3, 3), "Sign": (-3, 3), "Square": (-3, 3), "Sqrt": (0.1, 4),
    "Rsqrt": (0.1, 4), "Exp": (-3, 3), "Expm1": (-3, 3), "Log": (0.1, 4), "Log1p": (-0.5, 3),
    "Sin": (-3, 3), "Cos": (-3, 3), "Tan": (-1.2, 1.2), "Asin": (-0.9, 0.9),
    "Acos": (-0.9, 0.9), "Atan": (-3, 3), "Sinh": (-3, 3), "Cosh": (-3, 3), "Tanh": (-3, 3),
    "Asinh": (-3, 3), "Acosh": (1.1, 4), "Atanh": (-0.9, 0.9), "Sigmoid": (-6, 6),
    "Reciprocal": (0.5, 3), "Inv": (0.5, 3), "Floor": (-3, 3), "Ceil": (-3, 3),
    "Round": (-3, 3), "Rint": (-3, 3), "Erf": (-2, 2), "Erfc": (-2, 2), "Lgamma": (0.2, 5),
    "Digamma": (0.2, 5), "Softplus": (-5, 5), "Softsign": (-5, 5),
}


def _unary_case(op_type, lo, hi):
    def fn(x):
        v = RNG.uniform(lo, hi, (3, 4)).astype(np.float32)
        if op_type in ("Round", "Rint"):
            v[0, :3] = [0.5, 1.5, -2.5]
        return registry.make_tensor(op_type, [x(v)])
    return fn


for _t, (_lo, _hi) in UNARY.items():
    case("unary_" + _t)(_unary_case(_t, _lo, _hi))


def _unary_grad_case(op_type):
    """TF's `XGrad(y, dy)` ops (of imported gradient graphs)."""
    def fn(x):
        return registry.make_tensor(op_type, [x.uniform((3, 4), 0.2, 0.9), x.uniform((3, 4))])
    return fn


for _t in ("TanhGrad", "SigmoidGrad", "SqrtGrad", "RsqrtGrad", "ReciprocalGrad"):
    case("unary_grad_" + _t)(_unary_grad_case(_t))

BINARY_FLOAT = ["Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "FloorDiv", "FloorMod",
                "TruncateDiv", "TruncateMod", "Maximum", "Minimum", "Atan2",
                "SquaredDifference", "Less", "LessEqual", "Greater", "GreaterEqual", "Equal",
                "NotEqual"]
BINARY_INT = ["Add", "Sub", "Mul", "RealDiv", "Div", "FloorDiv", "FloorMod", "TruncateDiv",
              "TruncateMod", "Maximum", "Minimum", "BitwiseAnd", "BitwiseOr", "BitwiseXor"]


def _binary_case(op_type, dtype):
    def fn(x):
        if dtype == np.float32:
            a, b = x.uniform((2, 3), -3, 3), x(RNG.choice([-2.5, -1.0, 0.5, 2.0], (3,)), dtype)
        else:
            a = x.ints((2, 3), -20, 20, dtype)
            b = x(RNG.choice([-7, -3, 2, 5], (3,)), dtype)
        return registry.make_tensor(op_type, [a, b])
    return fn


for _t in BINARY_FLOAT:
    case("binary_float_" + _t)(_binary_case(_t, np.float32))
for _t in BINARY_INT:
    case("binary_int64_" + _t)(_binary_case(_t, np.int64))


@case("pow")
def _pow(x):
    return [registry.make_tensor("Pow", [x.uniform((4,), 0.5, 2), x.uniform((4,), -2, 2)]),
            registry.make_tensor("Pow", [x.ints((4,), -3, 4), x.ints((4,), 0, 4)])]


@case("logical_and_predicates")
def _logical(x):
    a, b = x(RNG.random((5,)) > 0.5), x(RNG.random((5,)) > 0.5)
    v = x(np.array([1.0, np.nan, np.inf, -np.inf, 0.0], np.float32))
    return [tf.logical_and(a, b), tf.logical_or(a, b), tf.logical_not(a), tf.is_nan(v),
            tf.is_inf(v), tf.is_finite(v), registry.make_tensor("Invert", [x.ints((4,))])]


@case("complex_parts")
def _complex(x):
    z = x((RNG.normal(size=(3,)) + 1j * RNG.normal(size=(3,))).astype(np.complex64))
    return [registry.make_tensor(t, [z]) for t in ("Real", "Imag", "Conj")]


@case("complex_abs_angle")
def _complex_ops(x):
    re, im = x.uniform((2, 3)), x.uniform((3,))
    z = tf.complex(re, im)
    return [z, tf.abs(z), tf.angle(z), tf.complex(x.uniform((2,), dtype=np.float64),
                                                  x.uniform((2,), dtype=np.float64))]


@case("fft_ifft_1d_2d_3d")
def _ffts(x):
    z = x((RNG.normal(size=(2, 3, 4)) + 1j * RNG.normal(size=(2, 3, 4))).astype(np.complex64))
    return [tf.fft(z), tf.ifft(z), tf.fft2d(z), tf.ifft2d(z), tf.fft3d(z), tf.ifft3d(z)]


@case("rfft_irfft_1d_2d_3d")
def _rffts(x):
    v = x.uniform((2, 4, 6, 8))
    z = x((RNG.normal(size=(2, 3, 4, 5)) + 1j * RNG.normal(size=(2, 3, 4, 5)))
          .astype(np.complex64))
    return [tf.signal.rfft(v), tf.signal.rfft(v, [5]), tf.signal.rfft2d(v, [3, 11]),
            tf.signal.rfft3d(v), tf.signal.irfft(z), tf.signal.irfft(z, [7]),
            tf.signal.irfft2d(z, [2, 12]), tf.signal.irfft3d(z)]


@case("polygamma")
def _polygamma(x):
    return registry.make_tensor("Polygamma", [x(np.array([0.0, 1.0, 2.0], np.float32)),
                                              x.uniform((3,), 0.5, 3)])


@case("cast_and_add_n")
def _cast(x):
    f = x(np.array([-2.7, -0.5, 0.5, 2.7, 100.2], np.float32))
    i = x.ints((5,))
    return [tf.cast(f, tf.int32), tf.cast(f, tf.float64), tf.cast(i, tf.float32),
            tf.cast(f, tf.bool), tf.add_n([f, f, f])]


# --- reductions, linear algebra -----------------------------------------------------------------
@case("reductions")
def _reductions(x):
    a = x.uniform((3, 4, 5))
    i = x.ints((3, 4))
    b = x(RNG.random((3, 4)) > 0.3)
    return [tf.reduce_sum(a, [0, 2]), tf.reduce_mean(a, 1, keepdims=True),
            tf.reduce_prod(a, -1), tf.reduce_max(a, [1]), tf.reduce_min(a, []),
            tf.reduce_mean(i, 0), tf.reduce_sum(i), tf.reduce_all(b, 1), tf.reduce_any(b, 0),
            tf.argmax(a, 1), tf.argmin(a, 2, output_type=tf.int32)]


@case("linalg")
def _linalg(x):
    a, b = x.uniform((3, 4)), x.uniform((5, 4))
    p, q = x.uniform((2, 3, 4)), x.uniform((2, 4, 2))
    qm, r = tf.qr(x.uniform((4, 3)))
    return [tf.matmul(a, b, transpose_b=True), tf.matmul(p, q), tf.matmul(qm, r),
            tf.matmul(x.ints((2, 3)), x.ints((3, 2)))]


def _svd(x, dtype):
    # own inputs (see _matrix_ops); singular vectors are compared through sign-free quantities
    rng = np.random.default_rng(13)
    a = x(rng.uniform(-1, 1, (2, 4, 3)).astype(dtype))
    w = x(rng.uniform(-1, 1, (3, 4)).astype(dtype))
    s, u, v = tf.linalg.svd(a)
    sf, uf, vf = tf.linalg.svd(w, full_matrices=True)
    outs = [s, tf.matmul(u * tf.expand_dims(s, -2), v, adjoint_b=True), tf.abs(u), tf.abs(v),
            sf, tf.abs(uf), tf.abs(vf), tf.linalg.svd(w, compute_uv=False)]
    loss = tf.add_n([tf.reduce_sum(t) for t in outs])
    return outs + tf.gradients(loss, [a, w])


@case("svd_f64")
def _svd_f64(x):
    return _svd(x, np.float64)


@case("svd_f32")
def _svd_f32(x):
    return _svd(x, np.float32)


def _matrix_ops(x, dtype):
    # inputs of their own (not the shared RNG, whose draws depend on the order cases run in),
    # well conditioned: `b` is also the least-squares matrix of matrix_solve_ls(b, g)
    rng = np.random.default_rng(11)
    n = 3
    diag = np.diag([2.5, -3.0, 3.5])
    g = x((rng.uniform(-1, 1, (2, n, n)) + diag).astype(dtype))
    m = rng.uniform(-1, 1, (2, n, n))
    s = x((m @ np.swapaxes(m, -1, -2) + 2 * np.eye(n)).astype(dtype))
    b = x((rng.uniform(-1, 1, (2, n, 2)) + 2 * np.eye(n, 2)).astype(dtype))
    sign, logabs = tf.log_matrix_determinant(g)
    e, v = tf.self_adjoint_eig(s)
    outs = [tf.matrix_inverse(g), tf.matrix_inverse(g, adjoint=True), tf.matrix_determinant(g),
            sign, logabs, tf.matrix_solve(g, b), tf.matrix_solve(g, b, adjoint=True),
            tf.matrix_triangular_solve(g, b), tf.matrix_triangular_solve(g, b, lower=False,
                                                                         adjoint=True),
            tf.cholesky(s), e, v * v, tf.self_adjoint_eigvals(s),
            tf.einsum("bij,bjk->bik", g, b), tf.matrix_solve_ls(b, g)]
    loss = tf.add_n([tf.reduce_sum(t) for t in outs if t is not sign])
    return outs + tf.gradients(loss, [g, s, b])


@case("matrix_ops_f64")
def _matrix_ops_f64(x):
    return _matrix_ops(x, np.float64)


@case("matrix_ops_f32")
def _matrix_ops_f32(x):
    return _matrix_ops(x, np.float32)


# --- array, fill, gather, manip, slicing, diag, pad ----------------------------------------------
@case("array_basics")
def _array(x):
    a = x.uniform((2, 3, 4))
    d = x.dynamic(RNG.uniform(size=(3, 2)).astype(np.float32))
    parts = tf.unstack(a, axis=1)
    return [tf.identity(a), tf.stop_gradient(a), tf.shape(d), tf.size(d), tf.rank(d),
            tf.ones_like(d), tf.zeros_like(d) + d,
            tf.reshape(a, [4, -1]), tf.transpose(a, [2, 0, 1]), tf.concat([a, a], 1),
            tf.stack(parts, axis=2), parts[1], tf.placeholder_with_default(a, a.shape),
            registry.make_tensor("Snapshot", [a]),
            registry.make_tensor("PreventGradient", [a]),
            tf.invert_permutation(x(np.array([2, 0, 3, 1], np.int32)))]


@case("fill_family")
def _fill(x):
    a = x.uniform((2, 3))
    return [tf.fill([2, 3], x(np.float32(1.5))), tf.zeros_like(a), tf.ones_like(a),
            tf.range(x(np.int32(2)), 11, 3), tf.lin_space(x(np.float32(-1)), 2.0, 7),
            tf.one_hot(x(np.array([0, 2, 5, -1], np.int32)), 4, on_value=2.0, off_value=-1.0),
            tf.one_hot(x(np.array([[0, 1], [2, 3]], np.int64)), 3, axis=0)]


@case("gathers_and_scatters")
def _gather(x):
    p = x.uniform((5, 3))
    return [tf.gather(p, x(np.array([[4, 0], [2, 2]], np.int32))),
            tf.gather(p, x(np.array([1, 0], np.int64)), axis=1),
            tf.gather(x.uniform((2, 4, 3)), x(np.array([[3, 1], [0, 0]], np.int32)),
                      axis=1, batch_dims=1),
            tf.gather_nd(p, x(np.array([[1, 2], [4, 0]], np.int32))),
            tf.scatter_nd(x(np.array([[1], [3], [1]], np.int32)), x.uniform((3, 2)), [5, 2]),
            tf.unsorted_segment_sum(p, x(np.array([0, 2, -1, 2, 1], np.int32)), 4),
            tf.dynamic_stitch([[0, 2], [1, 3]], [x.uniform((2, 2)), x.uniform((2, 2))])]


@case("manipulation")
def _manip(x):
    a = x.uniform((2, 3, 1))
    c = x(RNG.random((2, 3, 1)) > 0.5)
    s1, s2 = tf.split(x.uniform((4, 6)), [1, -1], axis=1)
    return [tf.where(c, a, -a), tf.where(x(np.array([True, False])), a, a * 2),
            tf.where_v2(x(np.array([True, False, True])), x.uniform((2, 3)), 0.0),
            tf.broadcast_to(x.uniform((3, 1)), [2, 3, 4]), tf.expand_dims(a, -1),
            tf.squeeze(a, [2]), tf.squeeze(a), tf.split(x.uniform((4, 6)), 3, axis=1)[2],
            s1, s2, tf.tile(a, [2, 1, 3]), tf.reverse(a, [0, 1]),
            tf.reverse_sequence(x.uniform((3, 4, 2)), x(np.array([2, 4, 0], np.int64)),
                                seq_axis=1, batch_axis=0)]


@case("slicing")
def _slicing(x):
    a = x.uniform((4, 5, 6))
    y = a[1:, ::2, -1]
    g = tf.gradients(tf.reduce_sum(a[::-1, 1:4, tf.newaxis, 2] * x.uniform((4, 3, 1))), a)[0]
    return [y, a[..., 1:3], a[2], g, tf.slice(a, [1, 0, 2], [2, -1, 3])]


@case("diagonals")
def _diag(x):
    m = x.uniform((2, 3, 4))
    return [tf.matrix_diag(x.uniform((2, 3))), tf.matrix_diag_part(m),
            tf.matrix_set_diag(m, x.uniform((2, 3))), tf.matrix_band_part(m, 1, 0),
            tf.matrix_band_part(m, -1, 1)]


@case("tensor_diagonals")
def _tensor_diag(x):
    d = x.uniform((2, 3))
    return [tf.diag(d), tf.diag_part(tf.diag(d) * 2.0), tf.diag(x.ints((3,)))]


@case("shape_utilities")
def _shape_utilities(x):
    a, b = x.dynamic(np.zeros((3, 1), np.float32)), x.dynamic(np.zeros((2, 1, 4), np.float32))
    shapes = tf.shape_n([a, b, x.uniform((5,))], out_type=tf.int64)
    idx = x(np.array([0, 5, 11, 7], np.int32))
    return shapes + [tf.broadcast_dynamic_shape(tf.shape(a), tf.shape(b)),
                     tf.unravel_index(idx, [3, 4]), tf.unravel_index(idx[1], [2, 2, 3])]


@case("padding")
def _pad(x):
    a = x.uniform((2, 3, 4))
    img = x.uniform((1, 4, 6, 8))
    mirror = tf.pad(a, [[1, 1], [2, 0], [0, 3]], mode="REFLECT")
    return [tf.pad(a, [[1, 0], [0, 2], [1, 1]]), tf.pad(a, [[0, 1], [1, 0], [0, 0]],
                                                        constant_values=2.5),
            mirror, tf.pad(a, [[2, 2], [0, 3], [1, 0]], mode="SYMMETRIC"),
            tf.gradients(tf.reduce_sum(mirror * mirror), a)[0],
            tf.space_to_depth(img, 2), tf.depth_to_space(img, 2)]


# --- variables and state -------------------------------------------------------------------------
@case("assignments")
def _assign(x):
    v = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="v")
    w = tf.Variable(np.ones(3, np.int64), name="w")
    a = tf.assign(v, x.uniform((2, 3)))
    with tf.control_dependencies([a]):
        b = tf.assign_add(v, x.uniform((2, 3)))
    return [b, tf.assign_sub(w, x.ints((3,), dtype=np.int64))]


@case("scatter_variables")
def _scatter_variables(x):
    v = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3) + 1, name="v")
    i, u = x(np.array([3, 0, 3], np.int32)), x.uniform((3, 3), 0.5, 2.0)
    # Distinct indices for the update: the order of repeated updates is undefined (as in TF).
    outs = [tf.scatter_update(v, x(np.array([3, 0, 1], np.int32)), u)]
    for fn in (tf.scatter_add, tf.scatter_sub, tf.scatter_mul, tf.scatter_div, tf.scatter_min,
               tf.scatter_max):
        with tf.control_dependencies(outs[-1:]):
            outs.append(fn(v, i, u))
    nd_i = x(np.array([[1, 2], [3, 0]], np.int64))
    for fn in (tf.scatter_nd_update, tf.scatter_nd_add, tf.scatter_nd_sub):
        with tf.control_dependencies(outs[-1:]):
            outs.append(fn(v, nd_i, x.uniform((2,))))
    return outs


@case("tensor_scatter")
def _tensor_scatter(x):
    t = x.uniform((4, 3))
    rows, elems = x(np.array([[3], [0]], np.int32)), x(np.array([[1, 2], [3, 0]], np.int64))
    outs = [tf.tensor_scatter_nd_update(t, rows, x.uniform((2, 3)))]
    for fn in (tf.tensor_scatter_nd_add, tf.tensor_scatter_nd_sub, tf.tensor_scatter_nd_min,
               tf.tensor_scatter_nd_max):
        outs += [fn(t, rows, x.uniform((2, 3))), fn(t, elems, x.uniform((2,)))]
    outs.append(tf.tensor_scatter_nd_add(x.ints((5,)), x(np.array([[1], [1]])), x.ints((2,))))
    return outs


@case("array_extras")
def _array_extras(x):
    a = x.uniform((3, 4))
    seq = x(np.sort(RNG.uniform(-1, 1, (3, 5)).astype(np.float32), axis=1))
    return [tf.roll(a, [1, -3], [0, 1]), tf.searchsorted(seq, a),
            tf.searchsorted(seq, a, side="right", out_type=tf.int64),
            tf.histogram_fixed_width(a, [-0.5, 0.5], nbins=4),
            tf.ensure_shape(a, [3, None]), tf.parallel_stack([a, a * 2])]


@case("space_to_batch_nd")
def _space_to_batch_nd(x):
    a = x.uniform((2, 4, 6, 3))
    y = tf.space_to_batch_nd(a, [2, 3], [[1, 1], [0, 3]])
    return [y, tf.batch_to_space_nd(y, [2, 3], [[1, 1], [0, 3]]),
            tf.batch_to_space_nd(a, [2, 1], [[0, 3], [2, 0]])]


# --- nn ops --------------------------------------------------------------------------------------
@case("activations")
def _activations(x):
    a = x.uniform((3, 8), -8, 8)
    acts = [tf.nn.relu(a), tf.nn.relu6(a), tf.nn.elu(a), tf.nn.selu(a),
            tf.nn.leaky_relu(a, 0.1), tf.nn.softmax(a), tf.nn.log_softmax(a),
            tf.nn.bias_add(a, x.uniform((8,))), tf.nn.l2_loss(a)]
    return acts + tf.gradients([tf.reduce_sum(y * y) for y in acts], [a])


@case("bias_add_grad_nchw")
def _bias_nchw(x):
    b = x.uniform((3,))
    y = tf.nn.bias_add(x.uniform((2, 3, 4, 5)), b, data_format="NCHW")
    return tf.gradients(tf.reduce_sum(y * y), b)


@case("top_k_in_top_k")
def _top_k(x):
    a = x(np.array([[1, 3, 3, 2, 0], [5, 5, 5, 1, 9]], np.float32))
    vals, idx = tf.nn.top_k(a, 3)
    return [vals, idx, tf.nn.in_top_k(a, x(np.array([2, 1], np.int32)), 2)]


@case("losses")
def _losses(x):
    logits = x.uniform((4, 5), -3, 3)
    labels = tf.nn.softmax(x.uniform((4, 5)))
    dense = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=x(np.array([0, 4, 2, 2], np.int32)), logits=logits)
    return [dense, sparse] + tf.gradients(tf.reduce_sum(dense) + tf.reduce_sum(sparse), logits)


@case("batch_norm_and_lrn")
def _norm(x):
    img = x.uniform((2, 4, 4, 3))
    scale, offset = x.uniform((3,), 0.5, 1.5), x.uniform((3,))
    y, m, v = tf.nn.fused_batch_norm(img, scale, offset, epsilon=1e-3)
    y2, _, _ = tf.nn.fused_batch_norm(img, scale, offset, mean=x.uniform((3,)),
                                      variance=x.uniform((3,), 0.5, 2), is_training=False)
    lrn = tf.nn.lrn(img, depth_radius=1, bias=1.0, alpha=0.5, beta=0.75)
    grads = tf.gradients(tf.reduce_sum(y * y) + tf.reduce_sum(y2) + tf.reduce_sum(lrn * lrn),
                         [img, scale, offset])
    return [y, m, v, y2, lrn] + grads


@case("convolutions")
def _conv(x):
    img = x.uniform((2, 7, 6, 3))
    w = x.uniform((3, 2, 3, 4))
    outs = [tf.nn.conv2d(img, w, [1, 1, 1, 1], "SAME"),
            tf.nn.conv2d(img, w, [1, 2, 3, 1], "VALID"),
            tf.nn.conv2d(img, w, [1, 2, 2, 1], "SAME", dilations=[1, 2, 1, 1]),
            tf.nn.conv2d(img, w, [1, 1, 1, 1], [[0, 0], [1, 2], [0, 1], [0, 0]]),
            tf.nn.conv2d(img, w, [1, 1, 1, 1], [[0, 0], [3, 1], [2, 4], [0, 0]]),  # > window
            tf.nn.depthwise_conv2d(img, x.uniform((3, 3, 3, 2)), [1, 2, 2, 1], "SAME"),
            tf.nn.conv3d(x.uniform((1, 4, 5, 4, 2)), x.uniform((2, 3, 2, 2, 3)),
                         [1, 1, 2, 1, 1], "SAME")]
    return outs + tf.gradients([tf.reduce_sum(o * o) for o in outs], [img, w])


@case("fused_conv_bias_relu")
def _fused(x):
    img = x.uniform((2, 5, 5, 3))
    y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(img, x.uniform((3, 3, 3, 4)), [1, 1, 1, 1],
                                               "SAME"), x.uniform((4,))))
    z = tf.tanh(tf.matmul(x.uniform((3, 6)), x.uniform((6, 2))) + x.uniform((2,)))
    return [y, z]


@case("cumsum_cumprod")
def _scans(x):
    a = x.uniform((3, 4), 0.5, 2.0)
    return [tf.cumsum(a, 1), tf.cumsum(a, 0, exclusive=True, reverse=True),
            tf.cumprod(a, -1, exclusive=True), tf.cumprod(x.ints((2, 5), 1, 4), 1, reverse=True)]


@case("xlogy_xdivy_mul_no_nan")
def _nan_safe(x):
    a = x(np.array([[0.0, 0.5, 2.0], [1.5, 0.0, -3.0]], np.float32))
    b = x(np.array([0.0, 2.5, 0.0], np.float32))
    return [tf.math.xlogy(a, b), tf.math.xdivy(a, b), tf.math.multiply_no_nan(a, b),
            tf.math.xlogy(x.uniform((4,), 0.5, 2.0, np.float64), x.uniform((4,), 0.5, 2.0,
                                                                          np.float64))]


@case("erfinv_ndtri")
def _erfinv_ndtri(x):
    return [tf.math.erfinv(x.uniform((6,), -0.99, 0.99)), tf.math.ndtri(x.uniform((6,), 0.01,
                                                                                    0.99)),
            tf.math.erfinv(x(np.array([-1.0, 1.0, 2.0], np.float64))),
            tf.math.ndtri(x(np.array([0.0, 1.0, 0.5], np.float64)))]


@case("bincount")
def _bincount(x):
    arr = x.ints((7,), 0, 5)
    return [tf.math.bincount(arr), tf.math.bincount(arr, minlength=8, dtype=tf.float32),
            tf.math.bincount(arr, weights=x.uniform((7,)), maxlength=3)]


@case("unsorted_segment_max_min_prod")
def _unsorted_segments(x):
    data, ids = x.uniform((5, 2), 0.5, 2.0), x(np.array([2, 0, 2, -1, 0], np.int32))
    outs = [tf.math.unsorted_segment_max(data, ids, 4), tf.math.unsorted_segment_min(data, ids, 4),
            tf.math.unsorted_segment_prod(data, ids, 4),
            tf.math.unsorted_segment_max(x.ints((3, 2)), x(np.array([1, 1, 0], np.int32)), 3)]
    return outs + tf.gradients(tf.add_n([tf.reduce_sum(o) for o in outs[:3]]), [data])


@case("fused_batch_norm_relu_training")
def _fused_bn_relu(x):
    img = x.uniform((2, 4, 4, 3))
    y = tf.nn.relu(tf.nn.fused_batch_norm(img, x.uniform((3,)), x.uniform((3,)),
                                          is_training=True)[0])
    return [y] + tf.gradients(tf.reduce_sum(y * y), [img])


@case("fused_conv_batch_norm_residual_relu")
def _fused_bn(x):
    img = x.uniform((2, 5, 5, 4))
    conv = tf.nn.conv2d(img, x.uniform((3, 3, 4, 4)), [1, 1, 1, 1], "SAME")
    bn = tf.nn.fused_batch_norm(conv, x.uniform((4,)), x.uniform((4,)), mean=x.uniform((4,)),
                                variance=x.uniform((4,), 0.5, 2.0), is_training=False)[0]
    plain = tf.nn.fused_batch_norm(
        tf.nn.conv2d(img, x.uniform((1, 1, 4, 4)), [1, 1, 1, 1], "SAME"), x.uniform((4,)),
        x.uniform((4,)), mean=x.uniform((4,)), variance=x.uniform((4,), 0.5, 2.0),
        is_training=False)[0]
    return [tf.nn.relu(bn + img), plain]


@case("convolutions_nchw")
def _conv_nchw(x):
    img = x.uniform((2, 3, 7, 6))
    w = x.uniform((3, 3, 3, 4))
    out = tf.nn.conv2d(img, w, [1, 1, 2, 2], "SAME", data_format="NCHW")
    return [out] + tf.gradients(tf.reduce_sum(out * out), [img, w])


@case("convolutions_nchw_on_cpu")
def _conv_nchw_on_cpu(x):
    # on a CPU the layout pass runs them channels-last, through `_Layout` views (on a GPU it
    # leaves them to XLA): the same values either way
    with tf.device("/cpu:0"):
        return _conv_nchw(x)


@case("convolution_backprops")
def _conv_backprops(x):
    img = x.uniform((1, 5, 5, 2))
    w = x.uniform((3, 3, 2, 3))
    dy = x.uniform((1, 3, 3, 3))
    vol = x.uniform((1, 4, 4, 4, 2))
    vw = x.uniform((2, 2, 2, 2, 3))
    v_out = tf.nn.conv3d(vol, vw, [1, 1, 1, 1, 1], "VALID")
    dw = x.uniform((2, 2, 2, 2))
    d_out = tf.nn.depthwise_conv2d_native(img, dw, [1, 1, 1, 1], "VALID")
    return [tf.nn.conv2d_backprop_input([1, 5, 5, 2], w, dy, [1, 2, 2, 1], "SAME"),
            tf.nn.conv2d_backprop_filter(img, [3, 3, 2, 3], dy, [1, 2, 2, 1], "SAME")] + \
        tf.gradients(tf.reduce_sum(v_out * v_out), [vol, vw]) + \
        tf.gradients(tf.reduce_sum(d_out * d_out), [img, dw])


@case("relu_max_pool_gradient")
def _relu_pool_grad(x):
    img = x.uniform((2, 7, 7, 3))
    h = tf.nn.relu(img)
    p = tf.nn.max_pool(h, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    return tf.gradients(tf.reduce_sum(p * x.uniform((2, 4, 4, 3))), [img])


@case("pooling")
def _pool(x):
    img = x.uniform((2, 6, 7, 3))
    ties = x(np.repeat(np.array([[1.0, 1.0, 2.0], [2.0, 0.0, 2.0]], np.float32), 2, 0)
             .reshape(1, 4, 3, 1))
    outs = [tf.nn.max_pool(img, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
            tf.nn.max_pool(img, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
            tf.nn.avg_pool(img, [1, 3, 2, 1], [1, 2, 1, 1], "SAME"),
            tf.nn.max_pool(ties, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
            tf.nn.max_pool3d(x.uniform((1, 4, 4, 4, 2)), [1, 2, 2, 2, 1], [1, 2, 2, 2, 1],
                             "VALID"),
            tf.nn.avg_pool3d(x.uniform((1, 4, 4, 4, 2)), [1, 2, 3, 2, 1], [1, 1, 2, 1, 1],
                             "SAME")]
    grads = tf.gradients([tf.reduce_sum(o * o) for o in outs], [img, ties])
    second = tf.gradients(tf.reduce_sum(grads[0] * grads[0]), img)
    vol_in = [op.inputs[0] for op in tf.get_default_graph().get_operations()
              if op.type in ("MaxPool3D", "AvgPool3D")]
    return outs + grads + second + tf.gradients(
        [tf.reduce_sum(outs[4] * outs[4]), tf.reduce_sum(outs[5] * outs[5])], vol_in)


@case("max_pool3d_grad_grad")
def _pool3d_gg(x):
    vol = x.uniform((1, 4, 4, 4, 2))
    out = tf.nn.max_pool3d(vol, [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "SAME")
    g = tf.gradients(tf.reduce_sum(out * out), vol)[0]
    return tf.gradients(tf.reduce_sum(g * g), vol)


@case("max_pool_with_argmax")
def _pool_argmax(x):
    img = x.uniform((2, 5, 4, 3))
    out, arg = tf.nn.max_pool_with_argmax(img, [1, 2, 2, 1], [1, 2, 1, 1], "SAME")
    out_b, arg_b = tf.nn.max_pool_with_argmax(img, [1, 3, 3, 1], [1, 2, 2, 1], "VALID",
                                              include_batch_in_index=True)
    g = tf.gradients(tf.reduce_sum(out * out), img)[0]
    return [out, arg, out_b, arg_b, g, tf.gradients(tf.reduce_sum(g * g), img)[0]]


@case("dilation2d")
def _dilation2d(x):
    img, w = x.uniform((2, 6, 7, 3)), x.uniform((3, 2, 3))
    outs = [tf.nn.dilation2d(img, w, [1, 2, 1, 1], [1, 1, 2, 1], "SAME"),
            tf.nn.erosion2d(img, w, [1, 1, 2, 1], [1, 2, 1, 1], "VALID")]
    return outs + tf.gradients([tf.reduce_sum(o * o) for o in outs], [img, w])


# --- images, debugging, control flow --------------------------------------------------------------
@case("resize")
def _resize(x):
    img = x.uniform((2, 5, 6, 3))
    outs = [tf.image.resize_bilinear(img, [7, 4]),
            tf.image.resize_bilinear(img, [3, 9], align_corners=True),
            tf.image.resize_nearest_neighbor(img, [8, 3]),
            tf.image.resize_nearest_neighbor(img, [4, 4], half_pixel_centers=True),
            tf.image.resize_bicubic(img, [6, 8]),
            tf.image.resize_bicubic(img, [6, 8], half_pixel_centers=True),
            tf.image.resize_area(img, [3, 4])]
    return outs + tf.gradients([tf.reduce_sum(o * o) for o in outs[:-1]], img)


@case("image_color")
def _image_color(x):
    rgb = x.uniform((2, 5, 4, 3), 0.0, 1.0)
    ties = x(np.array([[[0.5, 0.5, 0.2], [0.0, 0.0, 0.0], [1.0, 0.25, 1.0]]], np.float32))
    hsv = tf.image.rgb_to_hsv(rgb)
    outs = [hsv, tf.image.hsv_to_rgb(hsv), tf.image.rgb_to_hsv(ties), tf.image.hsv_to_rgb(ties),
            tf.image.adjust_hue(rgb, 0.3), tf.image.adjust_hue(rgb, -0.9),
            tf.image.adjust_hue(ties, 0.2), tf.image.adjust_saturation(rgb, 0.4),
            tf.image.adjust_saturation(rgb, 2.5), tf.image.adjust_saturation(ties, 1.5)]
    return outs + tf.gradients(tf.reduce_sum(outs[1] * outs[1]), rgb)


@case("image_draw_boxes")
def _image_draw_boxes(x):
    img = x.uniform((2, 6, 7, 3), 0.0, 1.0)
    boxes = x(np.array([[[0.1, 0.2, 0.8, 0.9], [-0.2, 0.5, 0.5, 1.3], [0.6, 0.1, 0.2, 0.4]],
                        [[0.0, 0.0, 1.0, 1.0], [1.2, 0.1, 1.5, 0.4], [0.3, 0.3, 0.3, 0.6]]],
                       np.float32))
    colors = x(np.array([[0.2, 0.4, 0.6, 1.0], [0.9, 0.1, 0.3, 0.5]], np.float32))
    return [tf.image.draw_bounding_boxes(img, boxes),
            tf.image.draw_bounding_boxes(img, boxes, colors=colors),
            tf.image.draw_bounding_boxes(img[..., :1], boxes)]


@case("image_crop_and_resize")
def _image_crop_and_resize(x):
    img = x.uniform((2, 6, 7, 3), 0.0, 1.0)
    # No sample lands exactly on a pixel boundary (see backends/xla/image_box_ops.py).
    boxes = x(np.array([[0.11, 0.23, 0.71, 0.87], [-0.31, 0.41, 0.63, 1.19],
                        [0.92, 0.79, 0.17, 0.13], [0.33, 0.15, 0.33, 0.75]], np.float32))
    box_ind = x(np.array([0, 1, 1, 0], np.int32))
    outs = [tf.image.crop_and_resize(img, boxes, box_ind, [4, 5]),
            tf.image.crop_and_resize(img, boxes, box_ind, [1, 3], extrapolation_value=-1.0),
            tf.image.crop_and_resize(img, boxes, box_ind, [5, 4], method="nearest")]
    loss = tf.add_n([tf.reduce_sum(o * o) for o in outs])
    return outs + tf.gradients(loss, [img, boxes])


@case("image_sample_distorted_bounding_box")
def _image_sample_distorted_bounding_box(x):
    # An area range of exactly 1 and the image's own aspect ratio leave one possible crop, the
    # whole image, so both backends agree whatever their random numbers (see test_image_box_ops
    # for the random behaviour).
    size = x(np.array([60, 90, 3], np.int32))
    boxes = x(np.array([[[0.2, 0.1, 0.7, 0.5]]], np.float32))
    return list(tf.image.sample_distorted_bounding_box(
        size, boxes, seed=3, area_range=[1.0, 1.0], aspect_ratio_range=[1.5, 1.5]))


@case("image_extract_patches")
def _image_extract_patches(x):
    img = x.uniform((2, 5, 6, 3))
    outs = [tf.image.extract_patches(img, [1, 2, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
            tf.image.extract_patches(img, [1, 2, 2, 1], [1, 1, 2, 1], [1, 2, 3, 1], "SAME")]
    return outs + tf.gradients([tf.reduce_sum(o * o) for o in outs], img)


@case("image_projective_transform")
def _image_projective_transform(x):
    from tensorflux.ops.image_transform_ops import image_projective_transform

    img = x.uniform((2, 6, 7, 3), 0.0, 1.0)
    # No NEAREST sample lands halfway between pixels (see backends/xla/image_transform_ops.py).
    rot = x(np.array([[0.87, -0.49, 2.1, 0.49, 0.87, -1.3, 0, 0]], np.float32))
    per_image = x(np.array([[1.3, 0.2, -1.1, 0.1, 1.4, -0.9, 0.01, 0],
                            [0.9, 0, 0.37, 0, 1.1, -0.21, 0, 0.02]], np.float32))
    outs = [image_projective_transform(img, rot, [6, 7], "BILINEAR"),
            image_projective_transform(img, per_image, [4, 9], "NEAREST")]
    for mode in ("CONSTANT", "REFLECT", "WRAP", "NEAREST"):
        outs.append(image_projective_transform(img, per_image, [6, 7], "BILINEAR", mode, 0.3))
    loss = tf.add_n([tf.reduce_sum(o * o) for o in outs])
    return outs + tf.gradients(loss, img)


@case("debug_checks")
def _debug(x):
    a = x.uniform((3,))
    with tf.control_dependencies([tf.Assert(tf.reduce_all(a < 2.0), ["a too big:", a])]):
        b = tf.identity(a) * 2.0
    n = tf.check_numerics(a, "a is not finite")
    return [b, n] + registry.make_op("IdentityN", [a, x.ints((2,))]).outputs


@case("cond_static_predicate")
def _cond(x):
    a = x.uniform((3,))
    training = x(np.array(True))
    v = tf.Variable(np.ones(3, np.float32), name="v")
    y = tf.cond(training, lambda: tf.assign_add(v, a) * a, lambda: v * 3.0)
    z = tf.cond(tf.logical_not(training), lambda: a * 2.0, lambda: tf.exp(a))
    return [y, z] + tf.gradients(tf.reduce_sum(y) + tf.reduce_sum(z), a)


@case("sparse_dense")
def _sparse(x):
    idx = x(np.array([[0, 1], [1, 0], [2, 3]], np.int64))
    vals = x.uniform((3,))
    st = tf.SparseTensor(idx, vals, [3, 4])
    b = x.uniform((4, 2))
    return [tf.sparse_tensor_to_dense(st), tf.sparse_tensor_dense_matmul(st, b),
            tf.sparse_tensor_dense_matmul(st, x.uniform((3, 5)), adjoint_a=True),
            tf.sparse_add(x.uniform((3, 4)), st),
            tf.sparse_to_dense(x(np.array([1, 3], np.int32)), [5], x.uniform((2,)), -1.0)]


@case("stateless_random")
def _stateless_random(x):
    from tensorflux.ops import stateless_random_ops as sro

    seed = x(np.array([7, 11], np.int64))
    key, counter = sro.stateless_random_get_key_counter(seed)
    alg = registry.make_tensor("StatelessRandomGetAlg", [])
    lo, hi = x(np.int64(-5)), x(np.int64(100))
    outs = [key, counter, alg, sro.stateless_random_uniform_v2([3, 5], key, counter, alg),
            sro.stateless_random_normal_v2([7], key, counter, dtype=tf.float64),
            sro.stateless_truncated_normal_v2([2, 5], key, counter),
            sro.stateless_random_uniform_int_v2([9], key, counter, 1, lo, hi),
            registry.make_tensor("StatelessRandomUniformInt", [x(np.array([4], np.int32)), seed,
                                                               lo, hi], {"dtype": tf.int64})]
    outs += registry.make_op("StatelessRandomGetKeyCounterAlg", [seed]).outputs
    return outs + [sro.stateless_random_v1(t, [3, 2], seed) for t in sro.FLOAT_OPS_V1]


# --- optimizer update ops -----------------------------------------------------------------------
def _training_case(op_type):
    names = training_ops.OP_INPUTS[op_type]

    def fn(x):
        args = []
        shape = (4, 3)
        for n in names:
            if n in training_ops.REF_NAMES:
                args.append(tf.Variable(RNG.uniform(0.1, 1.0, shape).astype(np.float32),
                                        name=n)._variable)
            elif n in training_ops.GRAD_NAMES:
                args.append(x.uniform((3, 3) if "indices" in names else shape))
            elif n == "indices":
                args.append(x(np.array([2, 0, 2], np.int32)))
            elif n == "lr_power":
                args.append(x(np.float32(-0.5 if "V2" in op_type else -0.7)))
            else:
                args.append(x(np.float32(RNG.uniform(0.05, 0.5))))
        return registry.make_tensor(op_type, args, {"use_locking": False})
    return fn


for _t in training_ops.OP_INPUTS:
    case("train_" + _t)(_training_case(_t))


# --- fake quantization ---------------------------------------------------------------------------
@case("fake_quant")
def _fake_quant(x):
    v = x.uniform((3, 4, 4, 5), -3, 3)
    dy = x.uniform((3, 4, 4, 5))
    # Ranges whose zero point is not a half-way tie (XLA's division may round it the other way).
    lo, hi = x(np.float32(-1.25)), x(np.float32(2.1))
    los, his = x(np.float32([-1.1, 0.2, -3.0, -0.5, 0.0])), x(np.float32([0.9, 2.5, -0.1, 0.4, 0]))
    q = tf.quantization
    return [q.fake_quant_with_min_max_args(v, -2.0, 1.5, num_bits=6),
            q.fake_quant_with_min_max_args_gradient(dy, v, -2.0, 1.5, narrow_range=True),
            q.fake_quant_with_min_max_vars(v, lo, hi),
            q.fake_quant_with_min_max_vars_per_channel(v, los, his, narrow_range=True),
            *q.fake_quant_with_min_max_vars_gradient(dy, v, lo, hi, num_bits=4),
            *q.fake_quant_with_min_max_vars_per_channel_gradient(dy, v, los, his)]


# --- random ops: compared by shape, dtype and range (the generators differ) ----------------------
RANDOM_OPS = ["RandomStandardNormal", "TruncatedNormal", "RandomUniform", "RandomUniformInt",
              "RandomShuffle", "Multinomial"]


def test_random_ops_on_xla():
    g = tf.Graph()
    with g.as_default():
        n = tf.random_normal([2000], seed=1)
        t = tf.truncated_normal([2000], seed=2)
        u = tf.random_uniform([2000], seed=3)
        i = tf.random_uniform([2000], minval=-3, maxval=4, dtype=tf.int64, seed=4)
        s = tf.random_shuffle(tf.placeholder_with_default(np.arange(50), [50]), seed=5)
        m = tf.multinomial(tf.log([[0.1, 0.9], [0.99, 0.01]]), 500, seed=6)
        assert {op.type for op in g.get_operations()} >= set(RANDOM_OPS)
    with tf.Session(graph=g, config=xla_config()) as sess:
        vals = sess.run([n, t, u, i, s, m])
        again = sess.run([n, t, u, i, s, m])
        assert all(r.mode == "xla" for r in xla_runners(sess))
    nv, tv, uv, iv, sv, mv = vals
    assert nv.dtype == np.float32 and abs(nv.mean()) < 0.1 and abs(nv.std() - 1) < 0.1
    assert np.abs(tv).max() <= 2 and abs(tv.mean()) < 0.1
    assert uv.min() >= 0 and uv.max() < 1 and abs(uv.mean() - 0.5) < 0.05
    assert iv.dtype == np.int64 and iv.min() == -3 and iv.max() == 3
    assert sorted(sv) == list(range(50)) and list(sv) != list(range(50))
    assert mv.shape == (2, 500) and mv[0].mean() > 0.8 and mv[1].mean() < 0.1
    assert not np.array_equal(vals[0], again[0])  # each run draws new numbers
    with tf.Session(graph=g, config=xla_config()) as sess:  # same seeds, same sequence
        np.testing.assert_array_equal(sess.run(n), nv)


# Collected last: every case above is registered by now.
@pytest.mark.parametrize("name", sorted(CASES))
def test_xla_matches_numpy(name):
    g, feeds, fetches, variables, init = build(CASES[name])
    want, want_vars = run_on("numpy", g, feeds, fetches, variables, init)
    got, got_vars = run_on("xla", g, feeds, fetches, variables, init)
    if not isinstance(fetches, (list, tuple)):
        got, want, fetches = [got], [want], [fetches]
    for t, a, b in zip(fetches, got, want):
        if a is not None:
            assert_same(a, b, getattr(t, "name", str(t)))
    for v, a, b in zip(variables, got_vars, want_vars):
        assert_same(a, b, v.name)
