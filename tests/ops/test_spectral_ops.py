"""Complex numbers and FFTs: every case of tools/fixtures/gen_spectral.py against real
TensorFlow (names, static shapes, dtypes, values, gradients, errors), finite-difference checks
of every differentiable op through real losses, and the namespaces.
"""

import numpy as np
import pytest
from gradcheck import check_gradients
from lambda_cases import check_case, check_error, load

import tensorflux as tf
from tensorflux.ops import registry

CASES, ARRAYS = load("spectral")

# TF 2's "No gradient defined" message lacks a space after "operation"; TF 1.x has it.
MESSAGES = {
    "rfft3d_no_gradient": "No gradient defined for operation 'rfft3d' (op type: RFFT3D)",
    "irfft3d_no_gradient": "No gradient defined for operation 'irfft3d' (op type: IRFFT3D)",
    # TF's shape inference sees through the tiled twiddle matrix and stops at its MatMul (4 vs
    # 3); tensorflux knows that matrix's shape only at run time and stops at the next Add.
    "rfft2d_crop_grad": "Dimensions must be equal, but are 5 and 8",
}


# TF's frame reshapes subframes (its output is 'frame/Reshape_3:0'); tensorflux gathers with an
# index matrix, so the names of frame's (and stft's frames') internal ops are not compared.
OWN_NAMES = {c["name"]: None for c in CASES if c["name"].startswith("frame")}


def _tol(dtype):
    return 1e-5 if dtype in (np.float32, np.complex64) else 1e-10


@pytest.mark.parametrize("spec", [c for c in CASES if not c["error"]],
                         ids=[c["name"] for c in CASES if not c["error"]])
def test_case_matches_tf(spec):
    check_case(spec, ARRAYS, names=OWN_NAMES.get(spec["name"], spec["names"]), tol=_tol,
               grad_tol=lambda dtype: 1e-4 if dtype == np.float32 else 1e-9)


@pytest.mark.parametrize("spec", [c for c in CASES if c["error"]],
                         ids=[c["name"] for c in CASES if c["error"]])
def test_error_matches_tf(spec):
    # TF 2 prints the failing node as '{{node X}} = X[...](inputs)'; TF 1.x (and tensorflux)
    # print "'X' (op: 'X')", so only the text before " for '" is compared.
    check_error(spec, ARRAYS, MESSAGES.get(spec["name"], spec["message"].split(" for '")[0]))


# --- finite differences through real quantities ------------------------------------------------
RNG = np.random.RandomState(5)


def _parts(y):
    return [tf.real(y), tf.imag(y)]


def _z(a, b):
    return tf.complex(a, b)


GRAD_CASES = {
    # name: (build over real float64 inputs, input shapes, op types covered)
    "complex": (lambda a, b: _parts(_z(a, b)), [(2, 3), (3,)], ["Complex", "Real", "Imag"]),
    "conj": (lambda a, b: _parts(tf.conj(_z(a, b))), [(3, 4)] * 2, ["Conj"]),
    "angle": (lambda a, b: tf.angle(_z(a, b)), [(3, 4)] * 2, ["Angle"]),
    "abs": (lambda a, b: tf.abs(_z(a, b)), [(3, 4)] * 2, ["ComplexAbs"]),
    "inner_product": (lambda a, b, c, d: tf.reduce_sum(tf.real(_z(a, b) * tf.conj(_z(c, d)))),
                      [(4,)] * 4, ["Mul", "Conj"]),
    "div": (lambda a, b, c, d: _parts(_z(a, b) / _z(c, d)), [(2, 3)] * 4, ["RealDiv"]),
    "square_exp": (lambda a, b: _parts(tf.exp(tf.square(_z(a, b)))), [(2, 3)] * 2,
                   ["Square", "Exp"]),
    "matmul": (lambda a, b, c, d: _parts(tf.matmul(_z(a, b), _z(c, d), transpose_b=True)),
               [(2, 3)] * 4, ["MatMul"]),
    "cast": (lambda a, b: [tf.cast(_z(a, b), tf.float64), tf.imag(tf.cast(a, tf.complex128))
                           + b], [(3,)] * 2, ["Cast"]),
    "fft": (lambda a, b: _parts(tf.fft(_z(a, b))), [(2, 5)] * 2, ["FFT"]),
    "ifft": (lambda a, b: _parts(tf.ifft(_z(a, b))), [(2, 6)] * 2, ["IFFT"]),
    "fft2d": (lambda a, b: _parts(tf.fft2d(_z(a, b))), [(2, 3, 4)] * 2, ["FFT2D"]),
    "ifft2d": (lambda a, b: _parts(tf.ifft2d(_z(a, b))), [(3, 5)] * 2, ["IFFT2D"]),
    "fft3d": (lambda a, b: _parts(tf.fft3d(_z(a, b))), [(2, 3, 2)] * 2, ["FFT3D"]),
    "ifft3d": (lambda a, b: _parts(tf.ifft3d(_z(a, b))), [(2, 2, 3)] * 2, ["IFFT3D"]),
    "rfft_even": (lambda x: _parts(tf.signal.rfft(x)), [(2, 8)], ["RFFT"]),
    "rfft_odd_pad": (lambda x: _parts(tf.signal.rfft(x, [9])), [(2, 7)], ["RFFT", "Pad"]),
    "rfft2d_even": (lambda x: _parts(tf.signal.rfft2d(x)), [(2, 4, 6)], ["RFFT2D"]),
    "rfft2d_odd": (lambda x: _parts(tf.spectral.rfft2d(x)), [(3, 5)], ["RFFT2D"]),
    "irfft": (lambda a, b: tf.signal.irfft(_z(a, b)), [(2, 5)] * 2, ["IRFFT"]),
    "irfft_odd": (lambda a, b: tf.signal.irfft(_z(a, b), [7]), [(2, 4)] * 2, ["IRFFT"]),
    "irfft2d": (lambda a, b: tf.signal.irfft2d(_z(a, b)), [(4, 3)] * 2, ["IRFFT2D"]),
    "irfft2d_odd": (lambda a, b: tf.spectral.irfft2d(_z(a, b), [3, 5]), [(3, 3)] * 2,
                    ["IRFFT2D"]),
    "fftshift": (lambda x: [tf.signal.fftshift(x), tf.signal.ifftshift(x, axes=[0])],
                 [(3, 5)], ["Roll"]),
    "frame": (lambda x: tf.signal.frame(x, 4, 3, pad_end=True, axis=0), [(11, 2)],
              ["GatherV2"]),
    "stft": (lambda x: _parts(tf.signal.stft(x, 6, 3)), [(2, 15)], ["RFFT", "GatherV2"]),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_gradient_finite_differences(name):
    build, shapes, op_types = GRAD_CASES[name]
    inputs = {"x%d" % i: RNG.uniform(-1, 1, s) for i, s in enumerate(shapes)}
    check_gradients(build, inputs, op_types=op_types, tol=1e-6)


def test_rfft3d_irfft3d_have_no_gradient_as_in_tf():
    # "gradient not written" (tf.gradients raises LookupError), not NOT_DIFFERENTIABLE
    for op_type in ("RFFT3D", "IRFFT3D"):
        assert registry.get(op_type).grad is None


# --- behaviour beyond the fixtures ---------------------------------------------------------------
def test_complex64_precision_is_kept():
    z = tf.placeholder(tf.complex64, [4, 8])
    x = tf.placeholder(tf.float32, [4, 8])
    outs = [tf.fft(z), tf.ifft2d(z), tf.signal.rfft(x), tf.signal.irfft(tf.signal.rfft(x)),
            tf.abs(z), tf.angle(z)]
    v = (np.random.RandomState(0).randn(4, 8) + 1j).astype(np.complex64)
    with tf.Session() as sess:
        got = sess.run(outs, {z: v, x: v.real})
    assert [g.dtype for g in got] == [np.complex64, np.complex64, np.complex64, np.float32,
                                      np.float32, np.float32]
    np.testing.assert_allclose(got[0], np.fft.fft(v), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got[3], v.real, rtol=1e-5, atol=1e-5)


def test_dynamic_fft_length_runs():
    x = tf.placeholder(tf.float32, [None, None])
    n = tf.placeholder(tf.int32, [1])
    y = tf.signal.rfft(x, n)
    back = tf.signal.irfft(tf.signal.rfft(x))
    v = np.random.RandomState(1).randn(2, 6).astype(np.float32)
    with tf.Session() as sess:
        got, got_back = sess.run([y, back], {x: v, n: [10]})
    np.testing.assert_allclose(got, np.fft.rfft(v, 10), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got_back, v, rtol=1e-5, atol=1e-5)


def test_negative_fft_length_is_a_value_error():
    with pytest.raises(ValueError, match="`fft_length` must be non-negative, got -2"):
        tf.signal.rfft(tf.zeros([4]), [-2])
    with pytest.raises(ValueError, match=r"fft_length\[-1\] must be > 0, got 0"):
        tf.signal.irfft(tf.zeros([3], tf.complex64), [0])


def test_python_values_convert_like_tf():
    with tf.Graph().as_default():
        assert tf.fft([1.0, 2.0]).dtype == tf.complex64
        assert tf.signal.rfft([1, 2, 3, 4]).dtype == tf.complex64
        assert tf.abs(1 + 2j).dtype == tf.float64
        assert tf.complex(1.0, 2.0).dtype == tf.complex64


def test_training_through_fft_reduces_a_spectral_loss():
    """A TF1-style program: fit a signal to a target magnitude spectrum with GradientDescent."""
    target = np.abs(np.fft.rfft(np.sin(np.arange(16) * 0.8))).astype(np.float32)
    with tf.Graph().as_default():
        w = tf.Variable(np.random.RandomState(2).randn(16).astype(np.float32) * 0.1)
        loss = tf.reduce_mean(tf.square(tf.abs(tf.signal.rfft(w)) - target))
        step = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss)
            for _ in range(100):
                sess.run(step)
            assert sess.run(loss) < 0.1 * first


def test_namespaces():
    for name in ("fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d", "rfft", "irfft", "rfft2d",
                 "irfft2d", "rfft3d", "irfft3d"):
        assert getattr(tf.signal, name) is getattr(tf.spectral, name)
    for name in ("fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d"):
        assert getattr(tf, name) is getattr(tf.signal, name)
    assert tf.signal.fftshift and tf.signal.ifftshift
    for name in ("real", "imag", "angle", "conj", "abs"):
        assert callable(getattr(tf.math, name)) and callable(getattr(tf, name))
    assert tf.complex is not None
