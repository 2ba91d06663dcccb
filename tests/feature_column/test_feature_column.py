"""tf.feature_column against real TensorFlow's compat.v1 feature columns (fixtures), plus
validation messages and finite-difference checks of the embedding gradients."""

import json
import os
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.feature_column.fingerprint import fingerprint64, hash_bucket

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from gradcheck import check_gradients  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "feature_column")
with open(os.path.join(FIXTURES, "cases.json")) as _f:
    DATA = json.load(_f)

fc = tf.feature_column


def build(spec):
    kind = spec[0]
    if kind == "numeric":
        return fc.numeric_column(spec[1], shape=tuple(spec[2]) if len(spec) > 2 else (1,))
    if kind == "numeric_norm":
        return fc.numeric_column(spec[1], normalizer_fn=lambda x: (x - 2.0) * 0.5)
    if kind == "bucketized":
        return fc.bucketized_column(build(spec[1]), spec[2])
    if kind == "vocab":
        return fc.categorical_column_with_vocabulary_list(spec[1], spec[2],
                                                          num_oov_buckets=spec[3])
    if kind == "vocab_int":
        return fc.categorical_column_with_vocabulary_list(spec[1], spec[2])
    if kind == "identity":
        return fc.categorical_column_with_identity(spec[1], spec[2])
    if kind == "hash":
        return fc.categorical_column_with_hash_bucket(spec[1], spec[2])
    if kind == "weighted":
        return fc.weighted_categorical_column(build(spec[1]), spec[2])
    if kind == "vocab_file":
        return fc.categorical_column_with_vocabulary_file(
            spec[1], os.path.join(FIXTURES, spec[2]), num_oov_buckets=spec[3])
    if kind == "shared":
        return fc.shared_embedding_columns([build(k) for k in spec[1]], spec[2])
    if kind == "cross":
        keys = [k if isinstance(k, str) else build(k) for k in spec[1]]
        return fc.crossed_column(keys, spec[2])
    if kind == "ind":
        return fc.indicator_column(build(spec[1]))
    if kind == "emb":
        return fc.embedding_column(build(spec[1]), spec[2], combiner=spec[3])
    raise ValueError(kind)


def pattern(shape):
    n = int(np.prod(shape))
    return (np.arange(n, dtype=np.float32).reshape(shape) * 0.1 - 0.3).astype(np.float32)


def features():
    out = {}
    for k, v in DATA["features"].items():
        dtype = DATA["feature_dtypes"][k]
        out[k] = np.array(v, dtype=object if dtype == "str" else dtype)
        if dtype == "str":
            out[k] = out[k].astype(str)
    return out


@pytest.mark.parametrize("name", sorted(DATA["cases"]))
def test_matches_tensorflow(name):
    case = DATA["cases"][name]
    with tf.Graph().as_default():
        columns = []
        for s in case["specs"]:
            column = build(s)
            columns += column if isinstance(column, list) else [column]
        feats = {k: tf.constant(v) for k, v in features().items()}
        if case["linear"]:
            out = fc.linear_model(feats, columns, units=2)
        else:
            out = fc.input_layer(feats, columns)
        variables = tf.global_variables()
        assert [[v.op.name, v.shape.as_list()] for v in variables] == case["variables"]
        # TF folds the constant features through its shape inference; where the batch size
        # is known here it must agree.
        assert out.shape.as_list()[1] == case["shape"][1]
        assert out.shape.as_list()[0] in (None, case["shape"][0])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for v in variables:
                v.load(pattern(v.shape.as_list()), sess)
            value = sess.run(out)
    np.testing.assert_allclose(value, np.array(case["value"]), rtol=1e-5, atol=1e-6)


def test_output_and_variable_names():
    feats = {"price": np.array([1.0, 2.0], np.float32), "id": np.array([[0], [2]])}
    cols = [fc.embedding_column(fc.categorical_column_with_identity("id", 3), 2),
            fc.numeric_column("price")]
    with tf.Graph().as_default():
        out = fc.input_layer(feats, cols)
        assert out.name == "input_layer/concat:0"
        assert out.shape.as_list() == [2, 3]
        assert [v.op.name for v in tf.global_variables()] == [
            "input_layer/id_embedding/embedding_weights"]
        assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES) == tf.global_variables()
        out2 = fc.input_layer(feats, cols)
        assert out2.name == "input_layer_1/concat:0"


def test_fingerprint64_matches_tensorflow():
    h = DATA["hash"]
    assert hash_bucket(h["strings"], h["buckets"]).tolist() == h["values"]
    assert fingerprint64(b"") == 0x9AE16A3B2F90404F


def test_make_parse_example_spec():
    price = fc.numeric_column("price", shape=(2,), default_value=1.0)
    color = fc.categorical_column_with_vocabulary_list("color", ["R", "G"])
    ids = fc.categorical_column_with_identity("id", 4)
    spec = fc.make_parse_example_spec([price, fc.embedding_column(color, 2),
                                       fc.bucketized_column(price, [0.0]), ids])
    assert spec == {"price": tf.io.FixedLenFeature((2,), tf.float32, (1.0, 1.0)),
                    "color": tf.io.VarLenFeature(tf.string),
                    "id": tf.io.VarLenFeature(tf.int64)}
    assert fc.numeric_column("m", shape=(2, 3), default_value=1).default_value == (
        (1, 1, 1), (1, 1, 1))
    with pytest.raises(ValueError, match="All feature_columns must be _FeatureColumn"):
        fc.make_parse_example_spec(["price"])


@pytest.mark.parametrize("make, message", [
    (lambda: fc.numeric_column("x", shape=(0,)), "shape dimensions must be greater than 0"),
    (lambda: fc.numeric_column("x", dtype=tf.string), "dtype must be convertible to float"),
    (lambda: fc.numeric_column(1), "key must be a string"),
    (lambda: fc.bucketized_column(fc.numeric_column("x"), [2.0, 1.0]),
     "boundaries must be a sorted list"),
    (lambda: fc.bucketized_column("x", [1.0]), "source_column must be a column generated"),
    (lambda: fc.categorical_column_with_vocabulary_list("c", ["a", "a"]),
     "Duplicate keys in vocabulary_list"),
    (lambda: fc.categorical_column_with_vocabulary_list("c", []), "must be non-empty"),
    (lambda: fc.categorical_column_with_identity("c", 0), "num_buckets 0 < 1"),
    (lambda: fc.categorical_column_with_hash_bucket("c", 0),
     "hash_bucket_size must be at least 1"),
    (lambda: fc.embedding_column(fc.categorical_column_with_identity("c", 2), 0),
     "Invalid dimension 0"),
    (lambda: fc.crossed_column(["a"], 10), "keys must be a list with length > 1"),
    (lambda: fc.crossed_column(["a", "b"], 0), "hash_bucket_size must be > 1"),
    (lambda: fc.crossed_column(["a", fc.categorical_column_with_hash_bucket("b", 3)], 5),
     "categorical_column_with_hash_bucket is not supported for crossing"),
    (lambda: fc.weighted_categorical_column(fc.categorical_column_with_identity("c", 2), "w",
                                            dtype=tf.string), "is not convertible to float"),
    (lambda: fc.categorical_column_with_vocabulary_file("c", "/no/such/file"),
     "vocabulary_file in c does not exist"),
    (lambda: fc.categorical_column_with_vocabulary_file("c", "f", 3, num_oov_buckets=1,
                                                        default_value=0),
     "Can't specify both num_oov_buckets and default_value"),
])
def test_validation_messages(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_input_layer_errors():
    ident = fc.categorical_column_with_identity("id", 3)
    price = fc.numeric_column("price")
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="must be a _DenseColumn"):
            fc.input_layer({"id": [[1]]}, [ident])
        with pytest.raises(ValueError, match="feature_columns must not be empty"):
            fc.input_layer({"id": [[1]]}, [])
        with pytest.raises(ValueError, match="Duplicate feature column name"):
            fc.input_layer({"price": [[1.0]]}, [price, fc.numeric_column("price")])
        with pytest.raises(ValueError, match="Feature price is not in features dictionary"):
            fc.input_layer({"x": [[1.0]]}, [price])
        with pytest.raises(ValueError, match="cannot have rank 0"):
            fc.input_layer({"price": 1.0}, [price])


def test_identity_out_of_range_raises_at_run_time():
    with tf.Graph().as_default():
        out = fc.input_layer({"id": [[5]]}, [fc.indicator_column(
            fc.categorical_column_with_identity("id", 3))])
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(out)


def test_sparse_tensor_input():
    color = fc.categorical_column_with_vocabulary_list("color", ["R", "G", "B"])
    with tf.Graph().as_default():
        sp = tf.SparseTensor(indices=[[0, 0], [0, 1], [2, 0]], values=["G", "B", "R"],
                             dense_shape=[3, 2])
        out = fc.input_layer({"color": sp}, [fc.indicator_column(color)])
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(out), [[0, 1, 1], [0, 0, 0], [1, 0, 0]])


def _placeholder_getter(tables):
    def getter(next_getter, name, *args, **kwargs):
        return tables[name]
    return getter


IDS = np.array([[0, 2, 2], [1, -1, -1], [-1, -1, -1], [3, 0, -1]])


@pytest.mark.parametrize("combiner", ["mean", "sqrtn", "sum"])
def test_embedding_gradient(combiner):
    column = fc.embedding_column(fc.categorical_column_with_identity("id", 4), 3,
                                 combiner=combiner)

    def build_fn(table, ids):
        getter = _placeholder_getter({"input_layer/id_embedding/embedding_weights": table})
        with tf.variable_scope("", custom_getter=getter):
            return fc.input_layer({"id": ids}, [column])

    rng = np.random.RandomState(1)
    check_gradients(build_fn, {"table": rng.randn(4, 3), "ids": IDS},
                    op_types=["SparseSegment" + {"mean": "Mean", "sqrtn": "SqrtN",
                                                 "sum": "Sum"}[combiner] + "WithNumSegments"])


def test_linear_model_gradient():
    columns = [fc.categorical_column_with_identity("id", 4),
               fc.categorical_column_with_hash_bucket("kw", 5)]

    def build_fn(w_id, w_kw, bias, ids):
        getter = _placeholder_getter({"linear_model/id/weights": w_id,
                                      "linear_model/kw/weights": w_kw,
                                      "linear_model/bias_weights": bias})
        with tf.variable_scope("", custom_getter=getter):
            return fc.linear_model({"id": ids, "kw": [["a"], ["b"], ["a"], ["c"]]}, columns,
                                   units=2)

    rng = np.random.RandomState(2)
    check_gradients(build_fn, {"w_id": rng.randn(4, 2), "w_kw": rng.randn(5, 2),
                               "bias": rng.randn(2), "ids": IDS})


def test_embedding_trains_with_sparse_updates():
    column = fc.embedding_column(fc.categorical_column_with_vocabulary_list(
        "c", ["a", "b", "c"]), 2, initializer=tf.ones_initializer())
    with tf.Graph().as_default():
        out = fc.input_layer({"c": [["a"], ["c"]]}, [column])
        loss = tf.reduce_sum(out)
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            table = sess.run(tf.global_variables()[0])
    np.testing.assert_allclose(table, [[0.5, 0.5], [1.0, 1.0], [0.5, 0.5]])


def test_crossed_column_names_and_spec():
    price = fc.numeric_column("price")
    cross = fc.crossed_column([fc.bucketized_column(price, [1.0]), "kw"], 10)
    assert cross.name == "kw_X_price_bucketized"
    nested = fc.crossed_column([cross, "a"], 5)
    assert nested.name == "a_X_kw_X_price_bucketized"
    assert fc.make_parse_example_spec([nested]) == {
        "price": tf.io.FixedLenFeature((1,), tf.float32), "kw": tf.io.VarLenFeature(tf.string),
        "a": tf.io.VarLenFeature(tf.string)}


@pytest.mark.parametrize("combiner", ["mean", "sqrtn", "sum"])
def test_weighted_embedding_gradient(combiner):
    column = fc.embedding_column(fc.weighted_categorical_column(
        fc.categorical_column_with_identity("id", 4), "w", dtype=tf.float64), 2,
        combiner=combiner)
    name = "input_layer/id_weighted_by_w_embedding/embedding_weights"

    def build_fn(table, w):
        # "* 1" densifies the gather's IndexedSlices gradient for the checker.
        with tf.variable_scope("", custom_getter=_placeholder_getter({name: table * 1.0})):
            return fc.input_layer({"id": [[0, 2], [1, 1], [3, -1]], "w": w}, [column])

    rng = np.random.RandomState(3)
    weights = np.array([[0.5, 2.0], [1.0, 3.0], [1.5, 0.0]])
    check_gradients(build_fn, {"table": rng.randn(4, 2), "w": weights}, wrt=["table"])
