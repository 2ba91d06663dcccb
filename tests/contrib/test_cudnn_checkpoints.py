"""CudnnRNN layers checkpoint their opaque buffer also in TF canonical form (TF 1.15's
`CudnnOpaqueParamsSaveable`): `<scope>/rnn/multi_rnn_cell/cell_<i>/cudnn_compatible_lstm_cell/
{kernel,bias}`, ... so the CudnnCompatible cells restore them, and the layer restores a
checkpoint written by TF (fixture written by real TF's Saver from TF 1.15's formulas)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

cudnn = tf.contrib.cudnn_rnn
HERE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "fidelity_fixes")
TF_CKPT = os.path.join(HERE, "cudnn_lstm_ckpt", "model")
LSTM_PREFIX = "cudnn_lstm/rnn/multi_rnn_cell/cell_%d/cudnn_compatible_lstm_cell/"
GRU_PREFIX = "cudnn_gru/rnn/multi_rnn_cell/cell_%d/cudnn_compatible_gru_cell/"


@pytest.fixture(scope="module")
def tf_case():
    with open(os.path.join(HERE, "cudnn_lstm.json")) as f:
        return json.load(f)


def _random_opaque(layer, sess, seed=0):
    """Non-zero weights and biases (unequal input / recurrent biases) in the opaque buffer."""
    size = int(sess.run(tf.size(layer.kernel)))
    value = np.random.RandomState(seed).uniform(-0.7, 0.7, size).astype(np.float32)
    layer.kernel.load(value, sess)


def _cudnn_model(cls, num_layers, units, x, **kwargs):
    layer = cls(num_layers, units, **kwargs)
    outputs, _ = layer(tf.constant(x))
    return layer, outputs


def _save_cudnn(cls, num_layers, units, x, path, **kwargs):
    with tf.Graph().as_default():
        layer, outputs = _cudnn_model(cls, num_layers, units, x, **kwargs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _random_opaque(layer, sess)
            want = sess.run(outputs)
            tf.train.Saver().save(sess, path)
    return want


def _x(time=5, batch=3, depth=4, seed=1):
    return np.random.RandomState(seed).uniform(-1, 1, (time, batch, depth)).astype(np.float32)


def test_lstm_checkpoint_names_and_shapes(tmp_path):
    path = str(tmp_path / "m")
    _save_cudnn(cudnn.CudnnLSTM, 2, 6, _x(), path)
    shapes = dict(tf.train.list_variables(path))
    assert shapes == {
        "cudnn_lstm/opaque_kernel": [4 * 6 * (4 + 6) + 4 * 6 * (6 + 6) + 2 * 8 * 6],
        LSTM_PREFIX % 0 + "kernel": [4 + 6, 24], LSTM_PREFIX % 0 + "bias": [24],
        LSTM_PREFIX % 1 + "kernel": [6 + 6, 24], LSTM_PREFIX % 1 + "bias": [24],
    }
    reader = tf.train.NewCheckpointReader(path)
    assert reader.get_tensor(LSTM_PREFIX % 1 + "kernel").shape == (12, 24)
    assert tf.train.load_variable(path, LSTM_PREFIX % 0 + "bias").dtype == np.float32


def test_bidirectional_and_gru_names(tmp_path):
    path = str(tmp_path / "bi")
    _save_cudnn(cudnn.CudnnLSTM, 2, 3, _x(), path, direction="bidirectional")
    names = sorted(n for n, _ in tf.train.list_variables(path))
    base = "cudnn_lstm/stack_bidirectional_rnn/cell_%d/bidirectional_rnn/%s/" \
           "cudnn_compatible_lstm_cell/%s"
    want = sorted(["cudnn_lstm/opaque_kernel"] + [
        base % (i, d, k) for i in (0, 1) for d in ("fw", "bw") for k in ("kernel", "bias")])
    assert names == want
    assert tf.train.load_variable(path, base % (1, "bw", "kernel")).shape == (6 + 3, 12)
    path = str(tmp_path / "gru")
    _save_cudnn(cudnn.CudnnGRU, 1, 5, _x(), path)
    shapes = dict(tf.train.list_variables(path))
    p = GRU_PREFIX % 0
    assert {k: v for k, v in shapes.items() if k.startswith(p)} == {
        p + "gates/kernel": [9, 10], p + "gates/bias": [10],
        p + "candidate/input_projection/kernel": [4, 5],
        p + "candidate/input_projection/bias": [5],
        p + "candidate/hidden_projection/kernel": [5, 5],
        p + "candidate/hidden_projection/bias": [5]}


def _compatible_lstm_outputs(path, x, num_layers, units):
    with tf.Graph().as_default():
        with tf.variable_scope("cudnn_lstm"):
            cells = tf.nn.rnn_cell.MultiRNNCell(
                [cudnn.CudnnCompatibleLSTMCell(units) for _ in range(num_layers)])
            outputs, states = tf.nn.dynamic_rnn(cells, tf.constant(x), time_major=True,
                                                dtype=tf.float32)
        names = sorted(v.op.name for v in tf.global_variables())
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            return names, sess.run([outputs, states])


def test_lstm_round_trip_into_compatible_cells(tmp_path):
    path = str(tmp_path / "m")
    x = _x()
    want = _save_cudnn(cudnn.CudnnLSTM, 2, 6, x, path)
    names, (got, _) = _compatible_lstm_outputs(path, x, 2, 6)
    assert names == sorted(LSTM_PREFIX % i + k for i in (0, 1) for k in ("kernel", "bias"))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_gru_round_trip_into_compatible_cells(tmp_path):
    path = str(tmp_path / "g")
    x = _x()
    want = _save_cudnn(cudnn.CudnnGRU, 2, 5, x, path)
    with tf.Graph().as_default():
        with tf.variable_scope("cudnn_gru"):
            cells = tf.nn.rnn_cell.MultiRNNCell(
                [cudnn.CudnnCompatibleGRUCell(5) for _ in range(2)])
            outputs, _ = tf.nn.dynamic_rnn(cells, tf.constant(x), time_major=True,
                                           dtype=tf.float32)
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            got = sess.run(outputs)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", [cudnn.CudnnLSTM, cudnn.CudnnGRU, cudnn.CudnnRNNTanh])
def test_layer_restores_from_canonical_entries_only(tmp_path, cls):
    """Restoring through the saveable alone (the opaque entry unused) rebuilds the buffer up to
    the input / recurrent bias split, so the outputs are the same."""
    path = str(tmp_path / "m")
    x = _x()
    want = _save_cudnn(cls, 2, 4, x, path, direction="bidirectional")
    with tf.Graph().as_default():
        layer, outputs = _cudnn_model(cls, 2, 4, x, direction="bidirectional")
        saveables = tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS)
        assert [s.name for s in saveables] == [layer.kernel.op.name + "_saveable"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _random_opaque(layer, sess, seed=5)
            assert np.abs(sess.run(outputs) - want).max() > 1e-3
            tf.train.Saver(saveables).restore(sess, path)
            np.testing.assert_allclose(sess.run(outputs), want, rtol=1e-5, atol=1e-6)


def test_tf_written_checkpoint_restores_into_layer(tf_case):
    x = np.array(tf_case["x"], np.float32)
    assert dict(tf.train.list_variables(TF_CKPT)) == tf_case["entries"]
    for use_saveable_only in (False, True):
        with tf.Graph().as_default():
            layer = cudnn.CudnnLSTM(2, 3)
            outputs, (h, c) = layer(tf.constant(x))
            var_list = (tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS) if use_saveable_only
                        else None)
            with tf.Session() as sess:
                tf.train.Saver(var_list).restore(sess, TF_CKPT)
                out, h_v, c_v = sess.run([outputs, h, c])
        np.testing.assert_allclose(out, tf_case["outputs"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(h_v, tf_case["final_h"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(c_v, tf_case["final_c"], rtol=1e-5, atol=1e-6)


def test_tf_written_checkpoint_restores_into_compatible_cells(tf_case):
    x = np.array(tf_case["x"], np.float32)
    _, (out, states) = _compatible_lstm_outputs(TF_CKPT, x, 2, 3)
    np.testing.assert_allclose(out, tf_case["outputs"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose([s.h for s in states], tf_case["final_h"], rtol=1e-5,
                               atol=1e-6)


def test_tensorflux_lstm_checkpoint_matches_tf_layout(tf_case, tmp_path):
    """Saving the TF checkpoint's buffer again gives TF's canonical entries, value for value."""
    x = np.array(tf_case["x"], np.float32)
    path = str(tmp_path / "again")
    with tf.Graph().as_default():
        layer, _ = _cudnn_model(cudnn.CudnnLSTM, 2, 3, x)
        with tf.Session() as sess:
            layer.kernel.load(tf.train.load_variable(TF_CKPT, "cudnn_lstm/opaque_kernel"), sess)
            tf.train.Saver().save(sess, path)
    for name in tf_case["entries"]:
        np.testing.assert_allclose(tf.train.load_variable(path, name),
                                   tf.train.load_variable(TF_CKPT, name), rtol=1e-6, atol=1e-7)


def test_missing_canonical_entry_is_not_found(tmp_path):
    path = str(tmp_path / "plain")
    with tf.Graph().as_default():
        v = tf.Variable(tf.zeros([56]), name="cudnn_lstm/opaque_kernel")
        with tf.Session() as sess:
            sess.run(v.initializer)
            tf.train.Saver([v]).save(sess, path)
    with tf.Graph().as_default():
        cudnn.CudnnLSTM(1, 2)(tf.zeros([2, 1, 3]))
        with tf.Session() as sess:
            with pytest.raises(tf.errors.NotFoundError, match="cudnn_compatible_lstm_cell"):
                tf.train.Saver().restore(sess, path)
