"""`tf.estimator.inputs.numpy_input_fn`: the structure it returns, batching across epochs,
shuffling, the end of input, and TF 1.15's argument errors."""

import numpy as np
import pytest

import tensorflux as tf

numpy_input_fn = tf.estimator.inputs.numpy_input_fn


def _run_all(input_fn, limit=100):
    """Every batch the input_fn yields in one fresh session (at most `limit`)."""
    with tf.Graph().as_default():
        result = input_fn()
        batches = []
        with tf.Session() as sess:
            for _ in range(limit):
                try:
                    batches.append(sess.run(result))
                except tf.errors.OutOfRangeError:
                    break
    return batches


def test_dict_features_and_array_target():
    x = {"age": np.arange(4) * 1.0, "height": np.arange(32, 36)}
    y = np.arange(-32, -28)
    with tf.Graph().as_default():
        features, target = numpy_input_fn(x, y, batch_size=2, shuffle=False)()
        assert sorted(features) == ["age", "height"]
        assert features["age"].dtype == tf.float64 and target.dtype == tf.int64
        assert features["height"].shape.as_list() == [None]
    batches = _run_all(numpy_input_fn(x, y, batch_size=2, shuffle=False, num_epochs=1))
    assert len(batches) == 2
    (f0, t0), (f1, t1) = batches
    np.testing.assert_array_equal(f0["age"], [0.0, 1.0])
    np.testing.assert_array_equal(f1["height"], [34, 35])
    np.testing.assert_array_equal(np.concatenate([t0, t1]), y)


def test_array_x_gives_a_tensor_and_no_y_gives_features_only():
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    batches = _run_all(numpy_input_fn(x, batch_size=4, shuffle=False))
    assert isinstance(batches[0], np.ndarray)
    np.testing.assert_array_equal(np.concatenate(batches), x)
    y = {"a": np.arange(6), "b": np.arange(6) * 2}
    features, labels = _run_all(numpy_input_fn(x, y, batch_size=6, shuffle=False))[0]
    np.testing.assert_array_equal(features, x)
    np.testing.assert_array_equal(labels["b"], np.arange(6) * 2)


def test_epochs_and_a_short_last_batch():
    x = {"v": np.arange(5)}
    batches = _run_all(numpy_input_fn(x, batch_size=2, num_epochs=3, shuffle=False))
    values = [list(b["v"]) for b in batches]
    # The epochs run on into each other; only the last batch is short (dequeue_up_to).
    assert values == [[0, 1], [2, 3], [4, 0], [1, 2], [3, 4], [0, 1], [2, 3], [4]]


def test_num_epochs_none_repeats_with_full_batches():
    batches = _run_all(numpy_input_fn({"v": np.arange(5)}, batch_size=3, num_epochs=None,
                                      shuffle=False), limit=7)
    assert len(batches) == 7
    assert all(len(b["v"]) == 3 for b in batches)
    assert list(np.concatenate([b["v"] for b in batches])[:10]) == [0, 1, 2, 3, 4] * 2


def test_shuffle_permutes_every_epoch():
    x = {"v": np.arange(50)}
    batches = _run_all(numpy_input_fn(x, batch_size=10, num_epochs=2, shuffle=True))
    values = np.concatenate([b["v"] for b in batches])
    assert sorted(values[:50]) == list(range(50)) and sorted(values[50:]) == list(range(50))
    assert list(values[:50]) != list(range(50))
    assert list(values[:50]) != list(values[50:])


def test_shuffle_follows_the_graph_seed():
    def first_batch(seed):
        with tf.Graph().as_default():
            tf.set_random_seed(seed)
            batch = numpy_input_fn({"v": np.arange(100)}, batch_size=10, shuffle=True)()
            with tf.Session() as sess:
                return list(sess.run(batch)["v"])

    assert first_batch(1) == first_batch(1)
    assert first_batch(1) != first_batch(2)


def test_each_session_starts_again():
    with tf.Graph().as_default():
        batch = numpy_input_fn({"v": np.arange(4)}, batch_size=3, shuffle=False)()
        for _ in range(2):
            with tf.Session() as sess:
                assert list(sess.run(batch)["v"]) == [0, 1, 2]


def test_strings_are_fed_as_bytes():
    batches = _run_all(numpy_input_fn({"s": np.array(["a", "bc"])}, shuffle=False))
    assert list(batches[0]["s"]) == [b"a", b"bc"]


def test_argument_errors_like_tf():
    x = {"a": np.arange(3)}
    for shuffle in (None, 1, "yes"):
        with pytest.raises(ValueError, match="shuffle must be provided and explicitly set as "
                                             "boolean"):
            numpy_input_fn(x, shuffle=shuffle)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="x cannot be an empty dict"):
            numpy_input_fn({}, shuffle=False)()
        with pytest.raises(ValueError, match="x cannot be an empty array"):
            numpy_input_fn(np.zeros([0, 2]), shuffle=False)()
        with pytest.raises(TypeError, match="x must be a dict or array; got list"):
            numpy_input_fn([1, 2], shuffle=False)()
        with pytest.raises(ValueError, match="y cannot be empty dict, use None instead."):
            numpy_input_fn(x, {}, shuffle=False)()
        with pytest.raises(ValueError, match="1 duplicate keys are found in both x and y"):
            numpy_input_fn(x, {"a": np.arange(3)}, shuffle=False)()
        with pytest.raises(ValueError, match="Length of tensors in x and y is mismatched."):
            numpy_input_fn(x, np.arange(4), shuffle=False)()


def test_target_key_never_collides():
    x = {"__target_key__": np.arange(3)}
    features, target = _run_all(numpy_input_fn(x, np.arange(3) * 10, shuffle=False))[0]
    assert list(features) == ["__target_key__"]
    np.testing.assert_array_equal(target, [0, 10, 20])


def test_pandas_input_fn_needs_pandas():
    pytest.importorskip("pandas", reason="pandas is optional")
    import pandas as pd

    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    features, target = _run_all(tf.estimator.inputs.pandas_input_fn(
        frame, pd.Series([0, 1, 0]), batch_size=3, shuffle=False))[0]
    np.testing.assert_array_equal(features["a"], [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(target, [0, 1, 0])
