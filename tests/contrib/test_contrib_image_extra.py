"""tf.contrib.image.interpolate_spline and sparse_image_warp, against a numpy solve of the
polyharmonic system (TF's formulas), with finite-difference gradient checks."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf


def _phi(r, order):
    eps = 1e-10
    if order == 1:
        return np.sqrt(np.maximum(r, eps))
    if order == 2:
        return 0.5 * r * np.log(np.maximum(r, eps))
    if order % 2 == 0:
        r = np.maximum(r, eps)
        return 0.5 * r ** (0.5 * order) * np.log(r)
    return np.maximum(r, eps) ** (0.5 * order)


def _np_spline(c, f, q, order, reg=0.0):
    out = []
    for cb, fb, qb in zip(c, f, q):
        n, d = cb.shape
        k = fb.shape[1]
        a = _phi(((cb[:, None] - cb[None]) ** 2).sum(-1), order) + reg * np.eye(n)
        b = np.concatenate([cb, np.ones((n, 1))], 1)
        lhs = np.block([[a, b], [b.T, np.zeros((d + 1, d + 1))]])
        rhs = np.concatenate([fb, np.zeros((d + 1, k))], 0)
        wv = np.linalg.solve(lhs, rhs)
        w, v = wv[:n], wv[n:]
        phi_q = _phi(((qb[:, None] - cb[None]) ** 2).sum(-1), order)
        out.append(phi_q @ w + np.concatenate([qb, np.ones((len(qb), 1))], 1) @ v)
    return np.stack(out)


def _run(fetches, feeds=None):
    with tf.Session() as sess:
        return sess.run(fetches, feeds)


@pytest.mark.parametrize("order", [1, 2, 3, 4, 6])
@pytest.mark.parametrize("reg", [0.0, 0.01])
def test_interpolate_spline_matches_numpy(order, reg):
    rng = np.random.RandomState(order)
    c = rng.rand(2, 7, 2)
    f = rng.randn(2, 7, 3)
    q = rng.rand(2, 5, 2)
    y = tf.contrib.image.interpolate_spline(c, f, q, order, regularization_weight=reg)
    assert y.shape.as_list() == [2, 5, 3]
    np.testing.assert_allclose(_run(y), _np_spline(c, f, q, order, reg), rtol=1e-7, atol=1e-8)


def test_interpolate_spline_fits_training_points():
    rng = np.random.RandomState(0)
    c = rng.rand(1, 6, 3).astype(np.float32)
    f = rng.randn(1, 6, 1).astype(np.float32)
    y = tf.contrib.image.interpolate_spline(c, f, c, order=2)
    assert y.dtype == tf.float32
    assert y.op.name.startswith("interpolate_spline/predict/")
    np.testing.assert_allclose(_run(y), f, atol=2e-4)


def test_interpolate_spline_dynamic_batch_and_static_d():
    c = tf.placeholder(tf.float64, [None, None, 2])
    f = tf.placeholder(tf.float64, [None, None, 1])
    q = tf.placeholder(tf.float64, [None, None, 2])
    y = tf.contrib.image.interpolate_spline(c, f, q, 2)
    rng = np.random.RandomState(1)
    cv, fv, qv = rng.rand(3, 5, 2), rng.randn(3, 5, 1), rng.rand(3, 4, 2)
    np.testing.assert_allclose(_run(y, {c: cv, f: fv, q: qv}), _np_spline(cv, fv, qv, 2),
                               rtol=1e-7, atol=1e-8)
    with pytest.raises(ValueError, match=r"\(d\) must be statically-inferrable"):
        tf.contrib.image.interpolate_spline(tf.placeholder(tf.float64, [1, 3, None]), f, q, 2)
    with pytest.raises(ValueError, match=r"\(k\) must be statically-inferrable"):
        tf.contrib.image.interpolate_spline(c, tf.placeholder(tf.float64, [1, 3, None]), q, 2)


def test_interpolate_spline_gradient():
    rng = np.random.RandomState(2)
    inputs = {"c": rng.rand(1, 5, 2), "f": rng.randn(1, 5, 2), "q": rng.rand(1, 3, 2)}
    check_gradients(lambda c, f, q: tf.contrib.image.interpolate_spline(c, f, q, 2,
                                                                        regularization_weight=0.1),
                    inputs, op_types=["MatrixSolve"], tol=1e-5)
    check_gradients(lambda c, f, q: tf.contrib.image.interpolate_spline(c, f, q, 3),
                    inputs, op_types=["MatrixSolve", "Pow"], tol=1e-5)


def _np_bilinear_warp(image, flow):
    b, h, w, ch = image.shape
    out = np.zeros_like(image)
    for bi in range(b):
        for y in range(h):
            for x in range(w):
                qy, qx = y - flow[bi, y, x, 0], x - flow[bi, y, x, 1]
                fy = int(np.clip(np.floor(qy), 0, h - 2))
                fx = int(np.clip(np.floor(qx), 0, w - 2))
                ay = np.clip(qy - fy, 0, 1)
                ax = np.clip(qx - fx, 0, 1)
                top = image[bi, fy, fx] * (1 - ax) + image[bi, fy, fx + 1] * ax
                bot = image[bi, fy + 1, fx] * (1 - ax) + image[bi, fy + 1, fx + 1] * ax
                out[bi, y, x] = top * (1 - ay) + bot * ay
    return out


@pytest.mark.parametrize("num_boundary_points", [0, 1, 3])
def test_sparse_image_warp_matches_numpy(num_boundary_points):
    rng = np.random.RandomState(3)
    image = rng.rand(2, 7, 6, 2)
    src = np.array([[[2.0, 2.0], [4.0, 3.5], [5.0, 1.0]],
                    [[1.0, 1.0], [3.0, 4.0], [5.5, 2.0]]])
    dst = src + rng.uniform(-0.8, 0.8, src.shape)
    warped, flow = tf.contrib.image.sparse_image_warp(
        image, src, dst, num_boundary_points=num_boundary_points)
    assert flow.shape.as_list() == [2, 7, 6, 2]
    wv, fv = _run([warped, flow])
    grid = np.stack(np.meshgrid(np.arange(7.0), np.arange(6.0), indexing="ij"), -1)
    grid = np.tile(grid.reshape(1, 42, 2), [2, 1, 1])
    centers, flows = dst, dst - src
    if num_boundary_points:
        ys = np.linspace(0, 6, num_boundary_points + 1)
        xs = np.linspace(0, 5, num_boundary_points + 1)
        yy, xx = np.meshgrid(ys, xs, indexing="ij")
        border = (xx == 0) | (xx == 5) | (yy == 0) | (yy == 6)
        pts = np.stack([yy[border], xx[border]], -1)
        assert len(pts) == 4 * num_boundary_points
        centers = np.concatenate([centers, np.tile(pts[None], [2, 1, 1])], 1)
        flows = np.concatenate([flows, np.zeros((2, len(pts), 2))], 1)
    expected_flow = _np_spline(centers, flows, grid, 2).reshape(2, 7, 6, 2)
    np.testing.assert_allclose(fv, expected_flow, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(wv, _np_bilinear_warp(image, expected_flow), rtol=1e-6,
                               atol=1e-8)


def test_sparse_image_warp_moves_control_point():
    image = np.zeros((1, 9, 9, 1), np.float32)
    image[0, 3, 3, 0] = 1.0
    warped, _ = tf.contrib.image.sparse_image_warp(
        image, np.array([[[3.0, 3.0]]], np.float32), np.array([[[5.0, 4.0]]], np.float32),
        num_boundary_points=2)
    assert warped.dtype == tf.float32
    out = _run(warped)
    assert out[0, 5, 4, 0] == pytest.approx(1.0, abs=1e-4)
    assert out[0, 3, 3, 0] < 0.5


def test_sparse_image_warp_gradient():
    rng = np.random.RandomState(4)
    inputs = {"image": rng.rand(1, 5, 5, 1),
              "src": np.array([[[2.0, 2.1], [3.2, 1.3]]]),
              "dst": np.array([[[2.4, 1.7], [2.9, 1.8]]])}
    check_gradients(lambda im, s, d: tf.contrib.image.sparse_image_warp(
        im, s, d, num_boundary_points=1)[0], inputs, op_types=["MatrixSolve"], tol=1e-4)


def test_image_projective_transform_legacy_name():
    image = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    out = tf.contrib.image.image_projective_transform(
        image, [[1.0, 0, 1, 0, 1, 0, 0, 0]], [4, 4], "NEAREST")
    np.testing.assert_array_equal(_run(out)[0, :, :3, 0], image[0, :, 1:, 0])


# --- adjust_hsv_in_yiq / random_hsv_in_yiq ------------------------------------------------------
_YIQ = np.array([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]])
_YIQ_INV = np.array([[1.0, 0.95617069, 0.62143257], [1.0, -0.2726886, -0.64681324],
                     [1.0, -1.103744, 1.70062309]])


def _np_hsv_in_yiq(rgb, h, s, v):
    hsv = np.array([[v, 0, 0], [0, v * s * np.cos(h), -v * s * np.sin(h)],
                    [0, v * s * np.sin(h), v * s * np.cos(h)]])
    return rgb @ (_YIQ_INV @ hsv @ _YIQ).T


@pytest.mark.parametrize("h,s,v", [(0.0, 1.0, 1.0), (0.7, 0.5, 1.3), (-2.0, 1.5, 0.8)])
def test_adjust_hsv_in_yiq_matches_kernel_formula(h, s, v):
    rgb = np.random.RandomState(5).rand(2, 4, 5, 3).astype(np.float32)
    out = tf.contrib.image.adjust_hsv_in_yiq(rgb, h, s, v)
    assert out.dtype == tf.float32 and out.shape.as_list() == [2, 4, 5, 3]
    np.testing.assert_allclose(_run(out), _np_hsv_in_yiq(rgb, h, s, v), rtol=1e-5, atol=1e-5)


def test_adjust_hsv_in_yiq_uint8_and_tensor_args():
    rgb = (np.random.RandomState(6).rand(3, 3, 3) * 255).astype(np.uint8)
    same = tf.contrib.image.adjust_hsv_in_yiq(rgb)
    assert same.dtype == tf.uint8
    np.testing.assert_array_equal(_run(same), rgb)
    h = tf.placeholder(tf.float32, [])
    out = tf.contrib.image.adjust_hsv_in_yiq(rgb.astype(np.float32) / 255, delta_hue=h,
                                             scale_saturation=0.0)
    gray = _run(out, {h: 1.0})
    # Without chroma, all three channels carry the luminance Y.
    np.testing.assert_allclose(gray[..., 0], gray[..., 1], atol=2e-3)
    with pytest.raises(ValueError, match="at least rank 3"):
        tf.contrib.image.adjust_hsv_in_yiq(np.zeros((4, 3), np.float32))


def test_random_hsv_in_yiq():
    rgb = np.random.RandomState(7).rand(4, 4, 3).astype(np.float32)
    same = tf.contrib.image.random_hsv_in_yiq(rgb)
    np.testing.assert_allclose(_run(same), _np_hsv_in_yiq(rgb, 0, 1, 1), rtol=1e-5, atol=1e-5)
    rnd = tf.contrib.image.random_hsv_in_yiq(rgb, max_delta_hue=0.5, lower_saturation=0.5,
                                             upper_saturation=1.5, seed=3)
    assert sum(op.type.startswith("RandomUniform")
               for op in tf.get_default_graph().get_operations()) == 2
    out = _run(rnd)
    assert out.shape == rgb.shape and not np.allclose(out, rgb)
    for kwargs, msg in [({"max_delta_hue": -1}, "max_delta must be non-negative."),
                        ({"lower_saturation": -1}, "lower_saturation must be non-negative."),
                        ({"lower_value": -1}, "lower_value must be non-negative."),
                        ({"lower_saturation": 2}, "lower_saturation must be < upper_saturation."),
                        ({"lower_value": 2}, "lower_value must be < upper_value.")]:
        with pytest.raises(ValueError, match=msg):
            tf.contrib.image.random_hsv_in_yiq(rgb, **kwargs)
