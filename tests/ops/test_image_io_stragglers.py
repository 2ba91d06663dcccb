"""tf.image / tf.io stragglers against TensorFlow (tools/fixtures/gen_image_io_stragglers.py):
extract_glimpse, ssim_multiscale, adjust_jpeg_quality / random_jpeg_quality,
decode_and_crop_jpeg, encode_base64 / decode_base64, decode_compressed."""

import base64
import gzip
import json
import os
import zlib

import numpy as np
import pytest
from gradcheck import check_gradients
from lambda_cases import FIXTURES, build_case, check_case, check_error, load, outputs

import tensorflux as tf
from tensorflux.ops import image_io_extras

ALL_CASES, ARRAYS = load("stragglers/image_io")
JPEG_CASES = [c for c in ALL_CASES if c["name"].startswith("jpeg_quality") and not c["error"]]
CASES = [c for c in ALL_CASES if not c["error"] and c not in JPEG_CASES]
ERRORS = [c for c in ALL_CASES if c["error"]]
with open(os.path.join(FIXTURES, "stragglers", "image_io", "strings.json")) as _f:
    STRINGS = json.load(_f)
JPEG = base64.b64decode(STRINGS["decode_and_crop"]["jpeg"])

pytest.importorskip("PIL", reason="JPEG coding needs Pillow")


class _RawOps:
    @staticmethod
    def ExtractGlimpse(input, size, offsets, centered=True, normalized=True,  # noqa: N802, A002
                       uniform_noise=True, noise="uniform", name=None):
        return image_io_extras.extract_glimpse(input, size, offsets, centered, normalized,
                                               uniform_noise, name, noise=noise)


@pytest.fixture(autouse=True)
def _fresh_graph(monkeypatch):
    monkeypatch.setattr(tf, "raw_ops", _RawOps, raising=False)
    with tf.Graph().as_default():
        yield


def _tol(dtype):
    return 2e-5 if dtype in (np.float32, np.uint8) else 1e-10


@pytest.mark.parametrize("spec", CASES, ids=lambda s: s["name"])
def test_case_matches_tf(spec):
    # (SSIM runs in float32 whatever the input dtype: float32 tolerances for its gradients)
    check_case(spec, ARRAYS, names=spec["names"], tol=_tol, grad_tol=lambda dtype: 1e-4)


@pytest.mark.parametrize("spec", ERRORS, ids=lambda s: s["name"])
def test_error_matches_tf(spec):
    check_error(spec, ARRAYS, spec["message"].split(" for '{{node")[0])


@pytest.mark.parametrize("spec", JPEG_CASES, ids=lambda s: s["name"])
def test_adjust_jpeg_quality_close_to_tf(spec):
    # TF's libjpeg-turbo (fast integer DCT) and Pillow's codec differ by a few levels.
    phs, feed, fn = build_case(spec, ARRAYS)
    (out,) = outputs(fn(*phs))
    assert out.shape.as_list() == spec["shapes"][0]
    assert out.dtype.base_dtype.name == spec["dtypes"][0]
    with tf.Session() as sess:
        got = sess.run(out, feed)
    want = ARRAYS["%s/out0" % spec["name"]]
    x = ARRAYS["%s/in/x" % spec["name"]]
    scale = 255.0 if want.dtype == np.uint8 else 1.0
    diff = np.abs(got.astype(np.float64) - want) / scale
    assert got.dtype == want.dtype and got.shape == want.shape
    assert diff.mean() < 0.01 and diff.max() < 0.08
    assert not np.array_equal(got, x)  # it did go through the codec


def test_random_jpeg_quality_runs():
    img = ARRAYS["jpeg_quality_float/in/x"]
    out = tf.image.random_jpeg_quality(tf.constant(img), 20, 80, seed=3)
    with tf.Session() as sess:
        a = sess.run(out)
    assert a.shape == img.shape and a.dtype == np.float32
    assert np.abs(a - img).mean() < 0.05


# --- extract_glimpse: noise ------------------------------------------------------------------
def test_glimpse_noise_fills_only_the_outside():
    x = np.full((1, 6, 7, 2), 5.0, np.float32)
    x[0, 0, 0] = 1.0  # min
    x[0, 1, 1] = 9.0  # max
    for uniform in (True, False):
        g = tf.image.extract_glimpse(tf.constant(x), [4, 4], [[-1.0, -1.0]],
                                     uniform_noise=uniform)
        with tf.Session() as sess:
            a, b = sess.run(g), sess.run(g)
        # offset (-1, -1) centred: the window starts 2 pixels above and left of the image.
        np.testing.assert_array_equal(a[0, 2:, 2:], x[0, :2, :2])
        assert not np.array_equal(a, b)  # fresh noise each run
        if uniform:
            assert a.min() >= 1.0 and a.max() <= 9.0


def test_glimpse_noise_conflict():
    with pytest.raises(ValueError, match="should not be specified at the same time"):
        tf.image.extract_glimpse(tf.zeros([1, 4, 4, 1]), [2, 2], [[0.0, 0.0]], noise="zero")


def test_glimpse_dynamic_size():
    size = tf.placeholder(tf.int32, [2])
    g = tf.image.extract_glimpse(tf.zeros([2, 6, 7, 3]), size, tf.zeros([2, 2]))
    assert g.shape.as_list() == [2, None, None, 3]
    with tf.Session() as sess:
        assert sess.run(g, {size: [3, 2]}).shape == (2, 3, 2, 3)


def test_glimpse_not_differentiable():
    x = tf.zeros([1, 4, 4, 1])
    g = tf.image.extract_glimpse(x, [2, 2], [[0.0, 0.0]])
    assert tf.gradients(g, x) == [None]


# --- ssim_multiscale: gradient, properties ---------------------------------------------------
def test_ssim_multiscale_gradient():
    rng = np.random.RandomState(1)
    a = rng.rand(1, 10, 9, 2)
    b = np.clip(a + 0.2 * rng.randn(*a.shape), 0, 1)
    check_gradients(lambda x, y: tf.image.ssim_multiscale(
        x, y, 1.0, power_factors=(0.6, 0.4), filter_size=3), {"x": a, "y": b},
        op_types=["DepthwiseConv2dNative", "AvgPool", "MirrorPad"], eps=1e-3, tol=2e-3)


def test_ssim_multiscale_identical_images_is_one():
    img = np.random.RandomState(2).rand(2, 16, 16, 3).astype(np.float32)
    s = tf.image.ssim_multiscale(img, img, 1.0, (0.5, 0.5), filter_size=5)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(s), [1.0, 1.0], rtol=1e-6)


def test_ssim_multiscale_unknown_shape():
    a = tf.placeholder(tf.float32, [None, None, None, 3])
    s = tf.image.ssim_multiscale(a, a * 0.9, 1.0, (0.5, 0.5), filter_size=3)
    img = np.random.RandomState(3).rand(1, 9, 7, 3)
    static = tf.image.ssim_multiscale(img.astype(np.float32), img.astype(np.float32) * 0.9,
                                      1.0, (0.5, 0.5), filter_size=3)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(s, {a: img}), sess.run(static), rtol=1e-6)


# --- tf.io string ops ------------------------------------------------------------------------
def _b(texts):
    return [t.encode("latin-1") for t in texts]


@pytest.mark.parametrize("rec", STRINGS["base64"], ids=lambda r: "pad=%s" % r["pad"])
def test_encode_base64_matches_tf(rec):
    out = tf.io.encode_base64(tf.constant(_b(rec["in"])), pad=rec["pad"])
    with tf.Session() as sess:
        assert list(sess.run(out)) == _b(rec["out"])


def test_decode_base64_matches_tf():
    rec = STRINGS["decode_base64"]
    with tf.Session() as sess:
        assert list(sess.run(tf.io.decode_base64(tf.constant(_b(rec["in"]))))) == \
            _b(rec["out"])


@pytest.mark.parametrize("rec", STRINGS["compressed"], ids=lambda r: r["type"] or "none")
def test_decode_compressed_matches_tf(rec):
    out = tf.io.decode_compressed(tf.constant(_b(rec["in"])), compression_type=rec["type"])
    assert out.op.type == "DecodeCompressed" and out.shape.as_list() == [len(rec["in"])]
    with tf.Session() as sess:
        assert list(sess.run(out)) == _b(rec["out"])


def test_decode_compressed_2d():
    data = np.array([[zlib.compress(b"a"), zlib.compress(b"bb")]], dtype=object)
    out = tf.io.decode_compressed(tf.constant(data), "ZLIB")
    with tf.Session() as sess:
        assert sess.run(out).tolist() == [[b"a", b"bb"]]
    gz = tf.io.decode_compressed(gzip.compress(b"scalar"), compression_type="GZIP")
    with tf.Session() as sess:
        assert sess.run(gz) == b"scalar"


def test_decode_compressed_bad_type():
    with pytest.raises(ValueError):
        tf.io.decode_compressed(b"x", compression_type="BZIP2")


@pytest.mark.parametrize("rec", STRINGS["errors"], ids=lambda r: r["name"])
def test_string_errors_match_tf(rec):
    with pytest.raises(Exception) as info:
        with tf.Session() as sess:
            sess.run(eval(rec["code"], {"tf": tf, "JPEG": tf.constant(JPEG)}))  # noqa: S307
    assert type(info.value).__name__ == rec["exception"]
    assert rec["message"] in str(info.value)


@pytest.mark.parametrize("rec", STRINGS["decode_and_crop"]["crops"], ids=lambda r: str(r["window"]))
def test_decode_and_crop_jpeg_is_decode_then_crop(rec):
    assert rec["equals_decode_then_crop"]  # what TF does
    y, x, h, w = rec["window"]
    crop = tf.io.decode_and_crop_jpeg(tf.constant(JPEG), rec["window"], channels=rec["channels"])
    full = tf.io.decode_jpeg(tf.constant(JPEG), channels=rec["channels"])
    assert crop.op.type == "DecodeAndCropJpeg"
    assert crop.shape.as_list() == [h, w, rec["channels"] or None]
    with tf.Session() as sess:
        c, f = sess.run([crop, full])
    assert list(c.shape) == rec["shape"]
    np.testing.assert_array_equal(c, f[y:y + h, x:x + w])


def test_public_names():
    for ns, names in ((tf.image, ["extract_glimpse", "ssim_multiscale", "adjust_jpeg_quality",
                                  "random_jpeg_quality"]),
                      (tf.io, ["decode_base64", "encode_base64", "decode_compressed",
                               "decode_and_crop_jpeg"])):
        for n in names:
            assert callable(getattr(ns, n)), n
