"""The old tf.contrib.layers feature-column API (sparse_column_with_hash_bucket / _keys /
_integerized_feature, real_valued_column, bucketized_column, embedding_column,
input_from_feature_columns, create_feature_spec_for_parsing): TF 1.15's variable names, column
order, default initializer and validation messages, and values against numpy with the same hash
as tf.feature_column (itself checked against TensorFlow in tests/feature_column)."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.feature_column.columns import _LazyBuilder
from tensorflux.feature_column.fingerprint import hash_bucket

L = tf.contrib.layers


def _run(fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches)


def _features():
    return {"words": tf.constant([["a", "b"], ["c", ""]]),
            "age": tf.constant([1.0, 2.0]),
            "hw": tf.constant([[1.0, 2.0], [3.0, 4.0]]),
            "ids": tf.constant([[3, -1], [7, 12]], dtype=tf.int64)}


def test_input_from_feature_columns_names_order_and_values():
    words = L.sparse_column_with_hash_bucket("words", 10)
    ids = L.sparse_column_with_hash_bucket("ids", 5, dtype=tf.int64)
    age = L.real_valued_column("age")
    hw = L.real_valued_column("hw", dimension=2, normalizer=lambda x: x * 10.0)
    emb = L.embedding_column(words, 3)
    emb_ids = L.embedding_column(ids, 2, combiner="sum")
    cols_to_outs = {}
    out = L.input_from_feature_columns(_features(), [hw, age, emb, emb_ids],
                                       cols_to_outs=cols_to_outs)
    assert out.op.name == "input_from_feature_columns/concat"
    assert out.shape.as_list() == [2, 8]
    names = [v.name for v in tf.global_variables()]
    assert names == ["input_from_feature_columns/ids_embedding/weights:0",
                     "input_from_feature_columns/words_embedding/weights:0"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)] == names
    assert set(cols_to_outs) == {hw, age, emb, emb_ids}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        t_ids, t_words, value = sess.run(tf.global_variables() + [out])
    w = hash_bucket(["a", "b", "c"], 10)
    i = hash_bucket(["3", "7", "12"], 5)
    expected = np.concatenate([
        np.stack([t_ids[i[0]], t_ids[i[1]] + t_ids[i[2]]]),         # ids_embedding (sum)
        np.stack([(t_words[w[0]] + t_words[w[1]]) / 2, t_words[w[2]]]),  # words (mean)
        [[1.0], [2.0]],                                              # age
        [[10.0, 20.0], [30.0, 40.0]],                                # hw, normalized
    ], axis=1)
    np.testing.assert_allclose(value, expected, rtol=1e-6)


def test_embedding_column_default_initializer_and_key():
    words = L.sparse_column_with_hash_bucket("words", 400)
    emb = L.embedding_column(words, 3)
    assert emb.name == "words_embedding"
    assert emb.key.startswith("_EmbeddingColumn(sparse_id_column=_SparseColumnHashed(")
    assert "initializer" not in emb.key
    assert emb.initializer.stddev == pytest.approx(1 / 20.0)
    out = L.input_from_feature_columns({"words": tf.constant([["a"]])}, [emb])
    del out
    table = tf.global_variables()[0]
    with tf.Session() as sess:
        sess.run(table.initializer)
        values = sess.run(table)
    assert values.shape == (400, 3)
    assert 0.03 < values.std() < 0.06 and np.abs(values).max() <= 2 / 20.0 + 1e-6


def test_real_valued_column_validation_and_defaults():
    assert L.real_valued_column("x", 3, default_value=2).default_value == (2.0, 2.0, 2.0)
    assert L.real_valued_column("x", 2, default_value=1, dtype=tf.int32).default_value == (1, 1)
    assert L.real_valued_column("x", 2, default_value=[1, 2.5]).default_value == (1.0, 2.5)
    with pytest.raises(TypeError, match="dimension must be an integer. dimension: 1.5"):
        L.real_valued_column("x", 1.5)
    with pytest.raises(ValueError, match="dimension must be greater than 0. dimension: 0, "
                                         "column_name: x"):
        L.real_valued_column("x", 0)
    with pytest.raises(ValueError, match="dtype must be convertible to float"):
        L.real_valued_column("x", dtype=tf.string)
    with pytest.raises(ValueError, match="The length of default_value must be equal to "
                                         "dimension"):
        L.real_valued_column("x", 2, default_value=[1.0])
    with pytest.raises(TypeError, match="default_value must be compatible with dtype"):
        L.real_valued_column("x", 1, default_value=1.5, dtype=tf.int64)


def test_sparse_and_embedding_column_validation():
    with pytest.raises(ValueError, match="bucket_size must be at least 1. bucket_size: 0, "
                                         "column_name: w"):
        L.sparse_column_with_hash_bucket("w", 0)
    with pytest.raises(ValueError, match="dtype must be string or integer"):
        L.sparse_column_with_hash_bucket("w", 3, dtype=tf.float32)
    words = L.sparse_column_with_hash_bucket("w", 3)
    with pytest.raises(ValueError, match="initializer must be callable if specified. "
                                         "Embedding of column_name: w"):
        L.embedding_column(words, 2, initializer=1.0)
    with pytest.raises(ValueError, match="Must specify both `ckpt_to_load_from` and "
                                         "`tensor_name_in_ckpt` or none of them."):
        L.embedding_column(words, 2, ckpt_to_load_from="x")
    with pytest.raises(ValueError, match="SparseColumn is not supported in DNN"):
        L.input_from_feature_columns({"w": tf.constant([["a"]])}, [words])
    with pytest.raises(ValueError, match="Duplicate feature column key found for column: w"):
        L.input_from_feature_columns({"w": tf.constant([["a"]])},
                                     [L.embedding_column(words, 2), words, words])


def test_create_feature_spec_for_parsing():
    words = L.sparse_column_with_hash_bucket("words", 10)
    spec = L.create_feature_spec_for_parsing(
        [L.real_valued_column("age", default_value=0.0), L.embedding_column(words, 2),
         L.real_valued_column("hw", 2)])
    assert spec == {"age": tf.FixedLenFeature([1], tf.float32, [0.0]),
                    "words": tf.VarLenFeature(tf.string),
                    "hw": tf.FixedLenFeature([2], tf.float32, None)}
    assert L.create_feature_spec_for_parsing({"a": words}) == {
        "words": tf.VarLenFeature(tf.string)}


def test_parse_example_with_spec_then_input_layer():
    words = L.sparse_column_with_hash_bucket("words", 10)
    age = L.real_valued_column("age")
    columns = [L.embedding_column(words, 2, initializer=tf.ones_initializer()), age]
    example = tf.train.Example(features=tf.train.Features(feature={
        "words": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"a", b"b"])),
        "age": tf.train.Feature(float_list=tf.train.FloatList(value=[3.0]))}))
    parsed = tf.parse_example([example.SerializeToString()],
                              L.create_feature_spec_for_parsing(columns))
    out = L.input_from_feature_columns(parsed, columns)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out), [[1.0, 1.0, 3.0]])


def test_contrib_columns_work_in_core_input_layer():
    words = L.sparse_column_with_hash_bucket("words", 10)
    net = tf.feature_column.input_layer(
        _features(), [L.embedding_column(words, 3), L.real_valued_column("age")])
    assert net.shape.as_list() == [2, 4]
    assert [v.name for v in tf.global_variables()] == ["input_layer/words_embedding/weights:0"]


def test_embedding_column_restores_from_checkpoint(tmp_path):
    with tf.Graph().as_default():
        table = tf.Variable(np.arange(8, dtype=np.float32).reshape(4, 2), name="table")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(table.initializer)
            path = saver.save(sess, str(tmp_path / "emb"))
    ids = L.sparse_column_with_hash_bucket("ids", 4, dtype=tf.int64)
    emb = L.embedding_column(ids, 2, ckpt_to_load_from=path, tensor_name_in_ckpt="table")
    out = L.input_from_feature_columns({"ids": tf.constant([[5]], tf.int64)}, [emb])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        bucket = hash_bucket(["5"], 4)[0]
        np.testing.assert_allclose(sess.run(out), [[2.0 * bucket, 2.0 * bucket + 1]])


def test_sparse_column_with_integerized_feature():
    item = L.sparse_column_with_integerized_feature("item", bucket_size=4)
    assert item.dtype == tf.int64 and item.combiner == "sum"
    out = L.input_from_feature_columns(
        {"item": tf.constant([[1, 6], [3, -1]], tf.int64)},
        [L.embedding_column(item, 2, combiner="sum")])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        table, value = sess.run([tf.global_variables()[0], out])
    np.testing.assert_allclose(value, [table[1] + table[2], table[3]], rtol=1e-6)
    with pytest.raises(ValueError, match="dtype must be an integer if is_integerized is True"):
        L.sparse_column_with_integerized_feature("item", 4, dtype=tf.string)
    with pytest.raises(ValueError, match="bucket_size must be at least 1"):
        L.sparse_column_with_integerized_feature("item", 0)


def test_check_feature_columns_and_safe_lookup_export():
    age = L.real_valued_column("age")
    L.check_feature_columns([age, L.real_valued_column("hw", 2)])
    with pytest.raises(ValueError, match="Duplicate feature column key found for column: age"):
        L.check_feature_columns([age, L.real_valued_column("age")])
    assert L.safe_embedding_lookup_sparse is tf.nn.safe_embedding_lookup_sparse


def test_sparse_column_with_keys():
    gender = L.sparse_column_with_keys("gender", ["female", "male"])
    assert gender.length == 2 and gender.lookup_config.default_value == -1
    out = L.input_from_feature_columns(
        {"gender": tf.constant([["male"], ["other"], ["female"]])},
        [L.embedding_column(gender, 2)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        table, value = sess.run([tf.global_variables()[0], out])
    # "other" is missing: id -1, dropped; the empty row embeds to zeros.
    np.testing.assert_allclose(value, [table[1], [0.0, 0.0], table[0]], rtol=1e-6)
    codes = L.sparse_column_with_keys("code", [10, 20, 30], dtype=tf.int64)
    ids = tf.feature_column.input_layer(
        {"code": tf.constant([[20], [30]], tf.int64)},
        [tf.feature_column.indicator_column(codes)])
    np.testing.assert_array_equal(_run(ids), [[0, 1, 0], [0, 0, 1]])



def test_bucketized_column():
    age = L.real_valued_column("age")
    hw = L.real_valued_column("hw", dimension=2)
    buckets = L.bucketized_column(age, [18, 25, 25, 40])
    assert buckets.boundaries == (18, 25, 40) and buckets.length == 4
    assert buckets.name == "age_bucketized"
    hw_buckets = L.bucketized_column(hw, [2.5])
    out = L.input_from_feature_columns(
        {"age": tf.constant([10.0, 25.0, 50.0]), "hw": tf.constant([[1.0, 3.0]] * 3)},
        [buckets, hw_buckets])
    expected_age = np.eye(4)[[0, 2, 3]]
    expected_hw = np.tile([1.0, 0.0, 0.0, 1.0], (3, 1))
    np.testing.assert_array_equal(_run(out), np.concatenate([expected_age, expected_hw], 1))
    with pytest.raises(ValueError, match="boundaries must be a sorted list"):
        L.bucketized_column(age, [3, 1])
    with pytest.raises(TypeError, match="source_column must be an instance of "
                                        "_RealValuedColumn"):
        L.bucketized_column(L.sparse_column_with_hash_bucket("w", 3), [1])


def test_bucketized_column_as_categorical_in_core_linear_model():
    buckets = L.bucketized_column(L.real_valued_column("hw", dimension=2), [0.0, 1.0])
    sparse = buckets._get_sparse_tensors(
        _LazyBuilder({"hw": tf.constant([[-1.0, 0.5], [2.0, 1.0]])}))
    value = _run(sparse.id_tensor)
    np.testing.assert_array_equal(value.indices, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(value.values, [0, 4, 2, 5])
    assert buckets._num_buckets == 6
