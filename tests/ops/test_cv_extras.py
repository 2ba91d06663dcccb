"""Computer-vision extras: dilation2d / erosion2d and their gradients, the extra non-max
suppressions, tensor serialization and BMP/GIF/JPEG-header image ops, and the tf.sparse /
tf.random aliases (fixtures from real TF: tools/fixtures/gen_cv_extras.py)."""

import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

HERE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "cv_extras")


@pytest.fixture(scope="module")
def expected():
    with open(os.path.join(HERE, "cv_extras.json")) as f:
        return json.load(f)


def wave(shape, k=1.0, dtype=np.float32):
    """The generator's deterministic test values."""
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 0.7 * k + 0.3) * 3).reshape(shape).astype(dtype)


def _t(t):
    shape = None if t.shape.ndims is None else t.shape.as_list()
    return [t.name, t.dtype.name, shape]


def _check_value(got, want, rtol=1e-6):
    """`want` is the fixture's [dtype, shape, flat list]."""
    # object arrays: numpy's fixed-width bytes would drop trailing NULs
    got = np.asarray(got, dtype=object) if isinstance(got, bytes) else np.asarray(got)
    dtype, shape, values = want
    assert list(got.shape) == shape
    if dtype == "S":
        assert got.dtype.kind in "SO", got.dtype
        assert [s.decode("latin-1") for s in got.reshape(-1)] == values
        return
    assert str(got.dtype) == dtype
    np.testing.assert_allclose(got.reshape(-1), np.asarray(values, got.dtype), rtol=rtol,
                               atol=rtol)


def _check(sess, t, want, feed=None):
    """`want` is [name, dtype, shape, value]."""
    assert _t(t) == want[:3]
    _check_value(sess.run(t, feed), want[3])


def _graph_error(fn):
    with tf.Graph().as_default():
        with pytest.raises((ValueError, TypeError)) as info:
            fn()
    return [type(info.value).__name__, str(info.value)]


def _same_shape_error(got, want):
    """TF 2 writes the node as `'{{node X}} = X[...](...)'`, TF1 (and tensorflux) as `'X' (op:
    'X')`: the reason before ` for '` and the input shapes after it must agree."""
    assert got[0] == want[0]
    assert got[1].split(" for '")[0] == want[1].split(" for '")[0].rstrip(".")
    assert got[1].split("with input shapes: ")[1] == want[1].split("with input shapes: ")[1]


def _run_error(sess, fetch, feed=None):
    with pytest.raises(tf.errors.OpError) as info:
        sess.run(fetch, feed)
    return [type(info.value).__name__, str(info.value).split("\n")[0]]


# --- 1. dilation2d / erosion2d ------------------------------------------------------------------
X, F = wave([2, 7, 6, 3]), wave([3, 2, 3], 1.3)


def test_dilation_and_erosion_match_tf(expected):
    want = expected["morphology"]
    with tf.Graph().as_default(), tf.Session() as sess:
        ts = {"same": tf.nn.dilation2d(X, F, [1, 2, 2, 1], [1, 1, 2, 1], "SAME"),
              "valid": tf.nn.dilation2d(X, F, [1, 1, 1, 1], [1, 2, 1, 1], "VALID", name="dil"),
              "v2_keywords": tf.nn.dilation2d(X, filters=F, strides=[1, 1, 2, 1],
                                              dilations=[1, 2, 2, 1], padding="SAME"),
              "int": tf.nn.dilation2d(wave([1, 4, 5, 2], 2, np.int32), wave([2, 3, 2], 3,
                                      np.int32), [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
              "erosion": tf.nn.erosion2d(X, F, [1, 1, 2, 1], [1, 2, 1, 1], "SAME"),
              "erosion_named": tf.nn.erosion2d(X, F, [1, 1, 1, 1], [1, 1, 1, 1], "VALID",
                                               name="ero")}
        for k, t in ts.items():
            _check(sess, t, want[k])


def test_dilation_gradients_match_tf(expected):
    want = expected["morphology"]
    with tf.Graph().as_default(), tf.Session() as sess:
        # the generator's graph had four dilations before these; keep the op names aligned
        for _ in range(3):
            tf.nn.dilation2d(X, F, [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
        tf.nn.erosion2d(X, F, [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
        xp, fp = tf.placeholder(tf.float32, X.shape), tf.placeholder(tf.float32, F.shape)
        cases = {"grad_same": (tf.nn.dilation2d(xp, fp, [1, 2, 2, 1], [1, 1, 2, 1], "SAME"),
                               wave([2, 4, 3, 3], 0.9)),
                 "grad_valid": (tf.nn.dilation2d(xp, fp, [1, 1, 1, 1], [1, 2, 1, 1], "VALID"),
                                wave([2, 3, 5, 3], 0.4)),
                 "grad_erosion": (tf.nn.erosion2d(xp, fp, [1, 1, 2, 1], [1, 2, 1, 1], "SAME"),
                                  wave([2, 7, 3, 3], 1.1))}
        for k, (y, r) in cases.items():
            g = tf.gradients(y, [xp, fp], grad_ys=r)
            assert [_t(t) for t in g] == want[k][0], k
            for got, w in zip(sess.run(g, {xp: X, fp: F}), want[k][1]):
                _check_value(got, w, rtol=1e-5)


def test_dilation_static_shapes_match_tf(expected):
    want = expected["morphology"]
    with tf.Graph().as_default():
        for _ in range(5):
            tf.nn.dilation2d(X, F, [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
        got = {"unknown_rank": tf.nn.dilation2d(tf.placeholder(tf.float32), F, [1, 1, 1, 1],
                                                [1, 1, 1, 1], "SAME"),
               "unknown_dims": tf.nn.dilation2d(tf.placeholder(tf.float32, [None, 5, None, 3]),
                                                tf.placeholder(tf.float32), [1, 2, 2, 1],
                                                [1, 1, 1, 1], "VALID"),
               "empty_valid": tf.nn.dilation2d(tf.zeros([1, 2, 2, 3]), F, [1, 1, 1, 1],
                                               [1, 1, 1, 1], "VALID")}
        for k, t in got.items():
            assert _t(t) == want[k], k


def test_dilation_errors_match_tf(expected):
    want = expected["morphology"]
    z, w = tf.zeros, [3, 2, 3]
    errors = {
        "strides_len": lambda: tf.nn.dilation2d(z([2, 7, 6, 3]), z(w), [1, 2, 2], [1, 1, 1, 1],
                                                "SAME"),
        "rates_len": lambda: tf.nn.dilation2d(z([2, 7, 6, 3]), z(w), [1, 1, 1, 1], [1, 1],
                                              "SAME"),
        "padding": lambda: tf.nn.dilation2d(z([2, 7, 6, 3]), z(w), [1, 1, 1, 1], [1, 1, 1, 1],
                                            "FOO"),
        "both_filters": lambda: tf.nn.dilation2d(z([2, 7, 6, 3]), z(w), [1, 1, 1, 1],
                                                 [1, 1, 1, 1], "SAME", filters=z(w)),
        "both_rates": lambda: tf.nn.dilation2d(z([2, 7, 6, 3]), z(w), [1, 1, 1, 1],
                                               [1, 1, 1, 1], "SAME", dilations=[1, 1, 1, 1]),
        "dtype_mismatch": lambda: tf.nn.dilation2d(z([1, 3, 3, 1], tf.int32), z([2, 2, 1]),
                                                   [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
        "bool": lambda: tf.nn.dilation2d(z([1, 3, 3, 1], tf.bool), z([2, 2, 1], tf.bool),
                                         [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    }
    for k, fn in errors.items():
        assert _graph_error(fn) == want["errors"][k], k
    shape_errors = {
        "rank": lambda: tf.nn.dilation2d(z([2, 7, 6]), z(w), [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
        "depth": lambda: tf.nn.dilation2d(z([2, 7, 6, 3]), z([3, 2, 4]), [1, 1, 1, 1],
                                          [1, 1, 1, 1], "SAME"),
        "negative": lambda: tf.nn.dilation2d(z([1, 1, 5, 3]), z(w), [1, 1, 1, 1],
                                             [1, 1, 1, 1], "VALID"),
    }
    for k, fn in shape_errors.items():
        _same_shape_error(_graph_error(fn), want["shape_errors"][k])


def test_dilation_run_errors_match_tf(expected):
    want = expected["morphology"]
    with tf.Graph().as_default(), tf.Session() as sess:
        a, b = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
        y = tf.nn.dilation2d(a, b, [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
        assert _run_error(sess, y, {a: np.zeros([1, 2, 2]), b: F}) == want["run_rank_error"]
        assert _run_error(sess, y, {a: np.zeros([1, 4, 4, 2]), b: F}) == want["run_depth_error"]


@pytest.mark.parametrize("strides,rates,padding", [
    ([1, 1, 1, 1], [1, 1, 1, 1], "SAME"), ([1, 2, 1, 1], [1, 1, 2, 1], "SAME"),
    ([1, 1, 2, 1], [1, 2, 1, 1], "VALID")])
def test_dilation_gradcheck(strides, rates, padding):
    x0, f0 = wave([2, 5, 6, 2], 1.7), wave([2, 3, 2], 0.37)
    check_gradients(lambda x, f: tf.nn.dilation2d(x, f, strides, rates, padding),
                    {"x": x0, "f": f0}, op_types=["Dilation2D"])


def test_erosion_gradcheck():
    check_gradients(lambda x, f: tf.nn.erosion2d(x, f, [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
                    {"x": wave([1, 4, 5, 2], 1.9), "f": wave([3, 2, 2], 0.61)},
                    op_types=["Dilation2D", "Neg", "ReverseV2"])


def test_backprop_ops_are_first_maximum_routers():
    """A tie sends the whole gradient to the first maximum in filter order, like TF."""
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(np.ones([1, 1, 3, 1], np.float32))
        w = tf.constant(np.zeros([1, 2, 1], np.float32))
        y = tf.nn.dilation2d(x, w, [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
        gx, gw = sess.run(tf.gradients(y, [x, w]))
    np.testing.assert_array_equal(gx.reshape(-1), [1, 1, 0])
    np.testing.assert_array_equal(gw.reshape(-1), [2, 0])


# --- 2. non-max suppression variants ------------------------------------------------------------
NMS_BOXES = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11],
                      [0, 10.1, 1, 11.1], [0, 100, 1, 101]], np.float32)
NMS_SCORES = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3], np.float32)
OVERLAPS = np.array([[1.0, 0.6, 0.2, 0.0], [0.3, 1.0, 0.7, 0.1], [0.2, 0.4, 1.0, 0.9],
                     [0.0, 0.5, 0.95, 1.0]], np.float32)
OVERLAP_SCORES = np.array([0.5, 0.9, 0.7, 0.8], np.float32)


def combined_inputs():
    base = np.array([[0.1, 0.1, 0.5, 0.5], [0.12, 0.1, 0.52, 0.5], [0.6, 0.6, 0.9, 0.95],
                     [-0.2, 0.3, 0.4, 1.3], [0.5, 0.5, 0.6, 0.6], [0.11, 0.12, 0.5, 0.51]],
                    np.float32)
    boxes1 = np.stack([base, base[::-1]])[:, :, None, :]
    boxes3 = np.stack([boxes1[:, :, 0] + 0.01 * k for k in range(3)], axis=2)
    scores = (np.abs(np.sin(np.arange(36) * 1.37 + 0.2)) * 0.98 + 0.01).reshape(2, 6, 3)
    return boxes1, boxes3.astype(np.float32), scores.astype(np.float32)


def test_nms_variants_match_tf(expected):
    want = expected["nms"]
    boxes1, boxes3, scores = combined_inputs()
    with tf.Graph().as_default(), tf.Session() as sess:
        ts = {"padded": tf.image.non_max_suppression_padded(NMS_BOXES, NMS_SCORES, 5),
              "padded_pad": tf.image.non_max_suppression_padded(
                  NMS_BOXES, NMS_SCORES, 5, iou_threshold=0.4, pad_to_max_output_size=True),
              "padded_threshold": tf.image.non_max_suppression_padded(
                  NMS_BOXES, NMS_SCORES, 4, 0.5, 0.55, True, name="nmsp"),
              "overlaps": tf.image.non_max_suppression_overlaps(OVERLAPS, OVERLAP_SCORES, 4),
              "overlaps_threshold": tf.image.non_max_suppression_overlaps(
                  OVERLAPS, OVERLAP_SCORES, 3, overlap_threshold=0.35, score_threshold=0.6,
                  name="ov"),
              "combined": tf.image.combined_non_max_suppression(boxes1, scores, 3, 7),
              "combined_q": tf.image.combined_non_max_suppression(
                  boxes3, scores, 2, 20, iou_threshold=0.3, score_threshold=0.2,
                  pad_per_class=True, clip_boxes=False, name="cn"),
              "combined_small": tf.image.combined_non_max_suppression(
                  boxes1, scores, 1, 2, score_threshold=0.5)}
        for k, t in ts.items():
            t = [t] if not isinstance(t, tuple) else list(t)
            names, values = want[k]
            if k.startswith("padded"):
                # TF 2 builds this from a tf.function; TF 1.15 (and tensorflux) use one
                # NonMaxSuppressionV4 op: only dtypes and static shapes are comparable.
                assert [_t(x)[1:] for x in t] == [n[1:] for n in names], k
                assert t[0].name == ("nmsp" if k == "padded_threshold" else t[0].op.name
                                     .split("/")[0]) + "/NonMaxSuppressionV4:0"
            else:
                assert [_t(x) for x in t] == names, k
            for got, w in zip(sess.run(t), values):
                _check_value(got, w)
    assert ts["combined"]._fields == ("nmsed_boxes", "nmsed_scores", "nmsed_classes",
                                      "valid_detections")


def test_nms_variant_static_shapes_match_tf(expected):
    want = expected["nms"]
    with tf.Graph().as_default():
        b, sc = tf.placeholder(tf.float32, [None, 4]), tf.placeholder(tf.float32, [None])
        n = tf.placeholder(tf.int32, [])
        got = tf.image.non_max_suppression_padded(b, sc, n, pad_to_max_output_size=True)
        assert [_t(x)[1:] for x in got] == [w[1:] for w in want["padded_dynamic"]]
        for _ in range(2):
            tf.image.combined_non_max_suppression(tf.zeros([1, 6, 1, 4]), tf.zeros([1, 6, 3]),
                                                  1, 1)
        bb, ss = tf.placeholder(tf.float32, [None, 6, 1, 4]), tf.placeholder(tf.float32)
        got = tf.image.combined_non_max_suppression(bb, ss, n, 4, pad_per_class=True)
        assert [_t(x) for x in got] == want["combined_dynamic"]
        got = tf.image.combined_non_max_suppression(bb, ss, 3, n)
        assert [_t(x) for x in got] == want["combined_dynamic_total"]


def test_nms_variant_errors_match_tf(expected):
    want = expected["nms"]
    z = tf.zeros
    assert _graph_error(lambda: tf.image.non_max_suppression_padded(
        z([2, 4, 4]), z([2, 4]), 3)) == want["errors"]["padded_batched"]
    shape_errors = {
        "combined_q": lambda: tf.image.combined_non_max_suppression(
            z([2, 6, 2, 4]), z([2, 6, 3]), 2, 5),
        "combined_rank": lambda: tf.image.combined_non_max_suppression(
            z([2, 6, 4]), z([2, 6, 3]), 2, 5),
        "combined_total": lambda: tf.image.combined_non_max_suppression(
            z([2, 6, 1, 4]), z([2, 6, 3]), 2, 0),
        "overlaps_rank": lambda: tf.image.non_max_suppression_overlaps(z([4]), z([4]), 3)}
    for k, fn in shape_errors.items():
        got, tf_error = _graph_error(fn), want["shape_errors"][k]
        assert got[0] == tf_error[0], k
        assert got[1].split(" for '")[0] == tf_error[1].split(" for '")[0].rstrip("."), k


# --- 3. tensor serialization and image codecs ---------------------------------------------------
SERIAL_VALUES = {"float_scalar": (np.float32(1.5), tf.float32),
                 "int_matrix": (np.arange(6, dtype=np.int32).reshape(2, 3), tf.int32),
                 "int64": (np.array([-1, 2**40], np.int64), tf.int64),
                 "double": (np.array([0.25, -3.5]), tf.float64),
                 "half": (np.array([1.5, -2.0], np.float16), tf.float16),
                 "uint8": (np.array([[1], [255]], np.uint8), tf.uint8),
                 "bool": (np.array([True, False, True]), tf.bool),
                 "strings": (np.array([[b"ab", b""], [b"\xff", b"xyz"]]), tf.string),
                 "empty": (np.zeros([0, 3], np.float32), tf.float32)}


def _file(name):
    with open(os.path.join(HERE, name), "rb") as f:
        return f.read()


def test_serialize_and_parse_tensor_match_tf(expected):
    want = expected["codecs"]
    with tf.Graph().as_default(), tf.Session() as sess:
        for k, (value, dtype) in SERIAL_VALUES.items():
            s = tf.io.serialize_tensor(value)
            p = tf.io.parse_tensor(s, dtype)
            names, got = [_t(s), _t(p)], sess.run([s, p])
            assert names == want["serialize"][k][:2], k
            _check_value(got[0], want["serialize"][k][2])  # byte-identical TensorProto
            _check_value(got[1], want["serialize"][k][3])
        assert _t(tf.io.serialize_tensor([1.0], name="ser")) == want["serialize_named"]
        assert _t(tf.io.parse_tensor(b"", tf.int32, name="par")) == want["parse_named"]
        bad = tf.io.parse_tensor(tf.io.serialize_tensor([1.0, 2.0]), tf.int32)
        assert _run_error(sess, bad) == want["parse_type_error"]
        garbage = tf.io.parse_tensor(b"\xff\xff", tf.int32)
        assert _run_error(sess, garbage) == want["parse_garbage_error"]


def test_parse_tensor_reads_tf_bytes(expected):
    """TF's own serialized bytes parse back to TF's values (independent of our serializer)."""
    want = expected["codecs"]["serialize"]
    with tf.Graph().as_default(), tf.Session() as sess:
        for k, (_, dtype) in SERIAL_VALUES.items():
            data = want[k][2][2][0].encode("latin-1")
            _check_value(sess.run(tf.io.parse_tensor(data, dtype)), want[k][3])


def test_image_codecs_match_tf(expected):
    pytest.importorskip("PIL")
    want = expected["codecs"]
    bmp, gif = _file("image.bmp"), _file("anim.gif")
    color, gray = _file("color.jpg"), _file("gray.jpg")
    with tf.Graph().as_default(), tf.Session() as sess:
        ts = {"bmp": tf.image.decode_bmp(bmp),
              "bmp_3": tf.image.decode_bmp(bmp, channels=3, name="bmp"),
              "gif": tf.image.decode_gif(gif),
              "jpeg_shape": tf.image.extract_jpeg_shape(color),
              "jpeg_shape_gray": tf.image.extract_jpeg_shape(gray, tf.int64, name="js"),
              "is_jpeg": tf.image.is_jpeg(color),
              "is_jpeg_gif": tf.image.is_jpeg(gif, name="isj"),
              "is_jpeg_batch": tf.image.is_jpeg([gray, b"\xff\xd8", b""])}
        for k, t in ts.items():
            _check(sess, t, want[k])
        _check(sess, tf.image.decode_bmp(bmp, channels=4), want["bmp_4"])
        assert _run_error(sess, tf.image.extract_jpeg_shape(b"not a jpeg")) == \
            want["jpeg_shape_error"]
        assert _t(tf.image.decode_bmp(tf.placeholder(tf.string))) == want["bmp_placeholder"]
    _same_shape_error(_graph_error(lambda: tf.image.decode_bmp([b"a", b"b"])),
                      want["shape_errors"]["bmp_rank"])
    assert tf.io.decode_gif is tf.image.decode_gif and tf.io.is_jpeg is tf.image.is_jpeg
