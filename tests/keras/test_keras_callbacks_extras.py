"""tf.keras.callbacks ReduceLROnPlateau (against tf_keras' learning-rate sequences),
CSVLogger, TerminateOnNaN, ProgbarLogger, TensorBoard event files and RemoteMonitor."""

import csv
import glob
import os

import numpy as np
import pytest
from keras_extras_cases import CASES

import tensorflux as tf

K = tf.keras.backend
CB = tf.keras.callbacks


class _Holder:
    pass


@pytest.mark.parametrize("name", sorted(CASES["plateau"]))
def test_reduce_lr_on_plateau_matches_tf_keras(name):
    case = CASES["plateau"][name]
    with tf.Graph().as_default():
        model = _Holder()
        model.optimizer = _Holder()
        model.optimizer.lr = K.variable(case["lr0"], name="lr")
        cb = CB.ReduceLROnPlateau(**case["kwargs"])
        cb.set_model(model)
        cb.on_train_begin()
        monitor = case["kwargs"].get("monitor", "val_loss")
        lrs = []
        for epoch, value in enumerate(case["values"]):
            logs = {monitor: value}
            cb.on_epoch_end(epoch, logs)
            assert logs["lr"] == pytest.approx(lrs[-1] if lrs else case["lr0"])
            lrs.append(float(K.get_value(model.optimizer.lr)))
    np.testing.assert_allclose(lrs, case["lrs"], rtol=1e-6)


def test_reduce_lr_arguments_and_messages(capsys, caplog):
    with pytest.raises(ValueError, match="does not support a factor >= 1.0. Got 1.5"):
        CB.ReduceLROnPlateau(factor=1.5)
    cb = CB.ReduceLROnPlateau(epsilon=0.5, mode="upward")
    assert cb.min_delta == 0.5 and cb.mode == "auto"
    assert "`epsilon` argument is deprecated" in caplog.text
    assert "mode upward is unknown" in caplog.text
    with tf.Graph().as_default():
        model = _Holder()
        model.optimizer = _Holder()
        model.optimizer.lr = K.variable(1.0)
        cb = CB.ReduceLROnPlateau(monitor="loss", patience=0, verbose=1)
        cb.set_model(model)
        cb.on_train_begin()
        cb.on_epoch_end(0, {"loss": 1.0})
        cb.on_epoch_end(1, {"loss": 2.0})
        assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.1" in \
            capsys.readouterr().out
        cb.on_epoch_end(2, {"acc": 2.0})
        assert "conditioned on metric `loss` which is not available" in caplog.text


def _data(n=16):
    rng = np.random.RandomState(0)
    x = rng.rand(n, 3).astype(np.float32)
    return x, x.sum(1, keepdims=True)


def _model(lr=0.1):
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
    model.compile(tf.keras.optimizers.SGD(lr), "mse", metrics=["mae"])
    return model


def test_reduce_lr_in_fit_records_lr():
    with tf.Graph().as_default():
        model = _model(0.0)   # loss never improves
        x, y = _data()
        hist = model.fit(x, y, epochs=4, verbose=0, callbacks=[
            CB.ReduceLROnPlateau(monitor="loss", patience=1, factor=0.5, min_delta=10.0)])
        assert hist.history["lr"] == pytest.approx([0.0] * 4)
        model = _model(0.1)
        hist = model.fit(x, y, epochs=3, verbose=0, callbacks=[
            CB.ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5, min_delta=100.0)])
        # the logged lr is the one the epoch trained with (read before any reduction)
        assert hist.history["lr"] == pytest.approx([0.1, 0.1, 0.05])
        assert K.get_value(model.optimizer.lr) == pytest.approx(0.025)


def test_csv_logger(tmp_path):
    path = str(tmp_path / "log.csv")
    with tf.Graph().as_default():
        model = _model()
        x, y = _data()
        model.fit(x, y, epochs=2, verbose=0, callbacks=[CB.CSVLogger(path)])
        model.fit(x, y, epochs=1, verbose=0, validation_split=0.25,
                  callbacks=[CB.CSVLogger(path, append=True, separator=";")])
    with open(path) as f:
        lines = f.read().splitlines()
    assert lines[0] == "epoch,loss,mae,val_loss,val_mae"
    rows = list(csv.reader(lines[1:3]))
    assert [r[0] for r in rows] == ["0", "1"] and rows[0][3] == "NA"
    assert float(rows[1][1]) < float(rows[0][1])
    assert len(lines) == 4 and lines[3].startswith("0;") and lines[3].count(";") == 4


@pytest.mark.filterwarnings("ignore::RuntimeWarning")   # the overflow it is meant to catch
def test_terminate_on_nan(capsys):
    with tf.Graph().as_default():
        model = _model(1e6)   # diverges to inf/nan
        x, y = _data(64)
        hist = model.fit(x * 1e3, y, epochs=50, batch_size=4, verbose=0,
                         callbacks=[CB.TerminateOnNaN()])
        assert len(hist.history["loss"]) < 50
        assert "Invalid loss, terminating training" in capsys.readouterr().out


def test_progbar_logger_prints_epochs(capsys):
    cb = CB.ProgbarLogger()
    cb.set_params({"verbose": 2, "epochs": 2, "samples": 16, "steps": None,
                   "metrics": ["loss", "mae"]})
    cb.on_train_begin()
    for epoch in range(2):
        cb.on_epoch_begin(epoch)
        for b in range(2):
            cb.on_batch_end(b, {"batch": b, "size": 8, "loss": 1.0 + b, "mae": 0.5})
        cb.on_epoch_end(epoch, {"loss": 1.5, "mae": 0.5})
    out = capsys.readouterr().out
    assert "Epoch 1/2\n16/16 - 0s - loss: 1.5000 - mae: 0.5000\n" in out
    assert "Epoch 2/2" in out
    with tf.Graph().as_default():
        model = _model()
        x, y = _data()
        model.fit(x, y, epochs=2, verbose=0, callbacks=[CB.ProgbarLogger()])
    assert capsys.readouterr().out == ""   # verbose=0: silent, as in TF 1.x
    with pytest.raises(ValueError, match="Unknown `count_mode`"):
        CB.ProgbarLogger(count_mode="epochs")


def _read_events(path):
    """`[(step, tag, "simple" or "other", simple_value)]` and whether a graph was written."""
    scalars, has_graph = [], False
    for event in tf.train.summary_iterator(path):
        if event.HasField("graph_def"):
            has_graph = True
        if event.HasField("summary"):
            for value in event.summary.value:
                kind = "simple" if value.HasField("simple_value") else "other"
                scalars.append((event.step, value.tag, kind, value.simple_value))
    return scalars, has_graph


def test_tensorboard_writes_scalars_graph_and_histograms(tmp_path):
    log_dir = str(tmp_path / "logs")
    with tf.Graph().as_default():
        model = _model()
        x, y = _data()
        model.fit(x, y, epochs=2, verbose=0, validation_split=0.25,
                  callbacks=[CB.TensorBoard(log_dir, histogram_freq=1)])
    files = glob.glob(os.path.join(log_dir, "events.out.tfevents.*"))
    assert len(files) == 1
    scalars, has_graph = _read_events(files[0])
    assert has_graph
    simple = {(step, tag): v for step, tag, kind, v in scalars if kind == "simple"}
    assert set(simple) == {(e, "epoch_" + k) for e in (0, 1)
                           for k in ("loss", "mae", "val_loss", "val_mae")}
    assert simple[(1, "epoch_loss")] < simple[(0, "epoch_loss")]
    hist_tags = {tag for _, tag, kind, _ in scalars if kind == "other"}
    assert hist_tags == {"dense/kernel_0", "dense/bias_0"}


def test_tensorboard_batch_updates(tmp_path):
    log_dir = str(tmp_path / "logs")
    with tf.Graph().as_default():
        model = _model()
        x, y = _data()
        model.fit(x, y, epochs=1, batch_size=4, verbose=0,
                  callbacks=[CB.TensorBoard(log_dir, update_freq="batch", write_graph=False)])
    scalars, has_graph = _read_events(glob.glob(os.path.join(log_dir, "events*"))[0])
    assert not has_graph
    tags = [(step, tag) for step, tag, _, _ in scalars]
    assert [(s, t) for s, t in tags if t == "batch_loss"] == [(i, "batch_loss")
                                                               for i in range(4)]
    assert (16, "epoch_loss") in tags


def test_remote_monitor_needs_requests(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "requests", None)
    with pytest.raises(ImportError, match="RemoteMonitor requires the `requests` library"):
        CB.RemoteMonitor().on_epoch_end(0, {"loss": 1.0})
