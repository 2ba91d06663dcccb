"""`tf.keras.callbacks`: hooks into `Model.fit` — `History` (returned by `fit`),
`EarlyStopping`, `ModelCheckpoint` (weights as TF checkpoints), `LearningRateScheduler`,
`LambdaCallback`, `ReduceLROnPlateau`, `CSVLogger`, `TerminateOnNaN`, `ProgbarLogger`,
`TensorBoard` (scalar summaries per epoch, the graph, weight histograms) and `RemoteMonitor`.

Example:
    >>> stop = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)
    >>> model.fit(x, y, validation_split=0.1, epochs=20, callbacks=[stop])
"""

import collections
import csv
import io
import json
import logging
import os

import numpy as np

from tensorflux.keras import backend

_LOG = logging.getLogger("tensorflow")


class Callback:
    """Base class: override the `on_*` methods you need; `self.model`, `self.params` are set."""

    def __init__(self):
        self.model = None
        self.params = None
        self.validation_data = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_batch_begin(self, batch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass


class CallbackList:
    """Calls every callback's hook in order."""

    def __init__(self, callbacks):
        self.callbacks = list(callbacks)

    def __getattr__(self, hook):
        if not hook.startswith(("on_", "set_")):
            raise AttributeError(hook)

        def call_all(*args, **kwargs):
            for cb in self.callbacks:
                if hook in ("on_batch_begin", "on_batch_end"):
                    getattr(cb, hook.replace("on_", "on_train_"))(*args, **kwargs)
                else:
                    getattr(cb, hook)(*args, **kwargs)

        return call_all


class History(Callback):
    """Records every epoch's logs: `history.history["loss"]`, `history.epoch`.

    Example:
        >>> h = model.fit(x, y, epochs=2)
        >>> h.history["loss"]
    """

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)


def _monitor_op(mode, monitor):
    if mode not in ("auto", "min", "max"):
        mode = "auto"
    if mode == "max" or (mode == "auto" and ("acc" in monitor or monitor.startswith("fmeasure"))):
        return np.greater
    return np.less


class EarlyStopping(Callback):
    """Stops training when `monitor` has not improved by `min_delta` for `patience` epochs.

    Example:
        >>> tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=3,
        ...                                  restore_best_weights=True)
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False):
        super().__init__()
        self.monitor, self.patience, self.verbose = monitor, patience, verbose
        self.baseline, self.restore_best_weights = baseline, restore_best_weights
        self.monitor_op = _monitor_op(mode, monitor)
        self.min_delta = abs(min_delta) * (1 if self.monitor_op == np.greater else -1)
        self.stopped_epoch = 0

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        if self.baseline is not None:
            self.best = self.baseline
        else:
            self.best = -np.inf if self.monitor_op == np.greater else np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            print("Early stopping conditioned on metric `%s` which is not available. "
                  "Available metrics are: %s" % (self.monitor, ",".join(logs or {})))
            return
        if self.monitor_op(current - self.min_delta, self.best):
            self.best = current
            self.wait = 0
            if self.restore_best_weights:
                self.best_weights = backend.batch_get_value(self.model.weights)
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                backend.batch_set_value(zip(self.model.weights, self.best_weights))

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print("Epoch %05d: early stopping" % (self.stopped_epoch + 1))


class ModelCheckpoint(Callback):
    """Saves the model after every `period` epochs to `filepath.format(epoch=..., **logs)`.

    Weights go to TensorFlow checkpoints (`save_weights_only=True`); whole-model files need
    HDF5 (h5py), as in TF 1.15.

    Example:
        >>> tf.keras.callbacks.ModelCheckpoint("ckpt/w-{epoch:02d}", save_weights_only=True)
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", period=1, save_freq="epoch"):
        super().__init__()
        self.filepath, self.monitor, self.verbose = filepath, monitor, verbose
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.period = period
        self.monitor_op = _monitor_op(mode, monitor)
        self.best = -np.inf if self.monitor_op == np.greater else np.inf
        self.epochs_since_last_save = 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epochs_since_last_save += 1
        if self.epochs_since_last_save < self.period:
            return
        self.epochs_since_last_save = 0
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None or not self.monitor_op(current, self.best):
                return
            self.best = current
        if self.verbose > 0:
            print("\nEpoch %05d: saving model to %s" % (epoch + 1, path))
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate to `schedule(epoch)` (or `schedule(epoch, lr)`)
    before every epoch.

    Example:
        >>> tf.keras.callbacks.LearningRateScheduler(lambda epoch: 0.1 * 0.5 ** epoch)
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        lr_var = self.model.optimizer.lr
        try:
            lr = self.schedule(epoch, float(backend.get_value(lr_var)))
        except TypeError:
            lr = self.schedule(epoch)
        backend.set_value(lr_var, np.float32(lr))
        if self.verbose > 0:
            print("\nEpoch %05d: LearningRateScheduler reducing learning rate to %s."
                  % (epoch + 1, lr))

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["lr"] = float(backend.get_value(self.model.optimizer.lr))


class LambdaCallback(Callback):
    """A callback from plain functions: `LambdaCallback(on_epoch_end=lambda e, logs: ...)`."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_batch_begin=on_batch_begin, on_batch_end=on_batch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end)
        for name, fn in hooks.items():
            if fn is not None:
                setattr(self, name, fn)


class ReduceLROnPlateau(Callback):
    """Multiplies the learning rate by `factor` once `monitor` has not improved by more than
    `min_delta` for `patience` epochs, then waits `cooldown` epochs; never below `min_lr`.

    `mode="auto"` maximizes monitors whose name contains "acc" and minimizes the others.

    Example:
        >>> tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5,
        ...                                      min_lr=0.001)
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0, **kwargs):
        super().__init__()
        self.monitor = monitor
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0. Got %s"
                             % (factor,))
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
            _LOG.warning("`epsilon` argument is deprecated and will be removed, use "
                         "`min_delta` instead.")
        self.factor, self.min_lr, self.min_delta = factor, min_lr, min_delta
        self.patience, self.verbose, self.cooldown = patience, verbose, cooldown
        self.cooldown_counter = 0
        self.wait = 0
        self.best = 0
        self.mode = mode
        self.monitor_op = None
        self._reset()

    def _reset(self):
        if self.mode not in ("auto", "min", "max"):
            _LOG.warning("Learning rate reduction mode %s is unknown, fallback to auto mode.",
                         self.mode)
            self.mode = "auto"
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op = lambda a, b: np.less(a, b - self.min_delta)
            self.best = np.inf
        else:
            self.monitor_op = lambda a, b: np.greater(a, b + self.min_delta)
            self.best = -np.inf
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["lr"] = backend.get_value(self.model.optimizer.lr)
        current = logs.get(self.monitor)
        if current is None:
            _LOG.warning("Learning rate reduction is conditioned on metric `%s` which is not "
                         "available. Available metrics are: %s", self.monitor, ",".join(logs))
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = backend.get_value(self.model.optimizer.lr)
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    backend.set_value(self.model.optimizer.lr, new_lr)
                    if self.verbose > 0:
                        print("\nEpoch %d: ReduceLROnPlateau reducing learning rate to %s."
                              % (epoch + 1, new_lr))
                    self.cooldown_counter = self.cooldown
                    self.wait = 0


class CSVLogger(Callback):
    """Appends one CSV row per epoch: `epoch` then the logs' keys in sorted order (with
    `val_` columns even before validation values exist; missing values are "NA").

    Example:
        >>> tf.keras.callbacks.CSVLogger("training.log", append=True)
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        self.csv_file = io.open(self.filename, mode, newline="")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}

        def handle_value(k):
            is_zero_dim_ndarray = isinstance(k, np.ndarray) and k.ndim == 0
            if isinstance(k, str):
                return k
            if isinstance(k, collections.abc.Iterable) and not is_zero_dim_ndarray:
                return '"[%s]"' % ", ".join(map(str, k))
            return k

        if self.keys is None:
            self.keys = sorted(logs.keys())
            if not any(key.startswith("val_") for key in self.keys):
                self.keys.extend(["val_" + k for k in self.keys])
        if not self.writer:
            sep = self.sep

            class CustomDialect(csv.excel):
                delimiter = sep

            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         dialect=CustomDialect)
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict({"epoch": epoch})
        row.update((key, handle_value(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        self.csv_file.close()
        self.writer = None


class TerminateOnNaN(Callback):
    """Stops training as soon as a batch's loss is NaN or infinite."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            print("Batch %d: Invalid loss, terminating training" % batch)
            self.model.stop_training = True


class ProgbarLogger(Callback):
    """Prints Keras' progress bar and per-epoch metrics, as `fit(verbose=...)` asks (nothing
    for verbose=0, as in TF 1.x).

    Example:
        >>> cb = tf.keras.callbacks.ProgbarLogger(count_mode="samples")
    """

    def __init__(self, count_mode="samples", stateful_metrics=None):
        super().__init__()
        if count_mode not in ("samples", "steps"):
            raise ValueError('Unknown `count_mode`: %s. Expected values are ["samples", '
                             '"steps"]' % (count_mode,))
        self.use_steps = count_mode == "steps"
        self.stateful_metrics = set(stateful_metrics or ())
        self.progbar = None

    def on_train_begin(self, logs=None):
        self.verbose = (self.params or {}).get("verbose", 1)
        self.epochs = (self.params or {}).get("epochs")

    def on_epoch_begin(self, epoch, logs=None):
        from tensorflux.keras.engine import training_arrays

        params = self.params or {}
        target = params.get("steps") if self.use_steps else params.get("samples")
        if self.verbose:
            print("Epoch %d/%d" % (epoch + 1, self.epochs))
        self.progbar = training_arrays.Progbar(target or 0, verbose=self.verbose,
                                               unit_name="step" if self.use_steps
                                               else "sample")
        self.seen = 0
        self.totals = {}

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        size = 1 if self.use_steps else logs.get("size", 1)
        self.seen += size
        for k in (self.params or {}).get("metrics", []):
            if k in logs:
                if k in self.stateful_metrics:
                    self.totals[k] = (logs[k], None)
                else:
                    total, count = self.totals.get(k, (0.0, 0))
                    self.totals[k] = (total + logs[k] * size, count + size)
        self.progbar.update(self.seen, [(k, v if c is None else v / c)
                                        for k, (v, c) in self.totals.items()])

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        names = [k for k in (self.params or {}).get("metrics", []) if k in logs]
        self.progbar.target = self.progbar.target or self.seen
        self.progbar.finish([(k, logs[k]) for k in names])


class TensorBoard(Callback):
    """Writes TensorBoard event files to `log_dir`: the graph (`write_graph`), each epoch's
    logs as scalar summaries `epoch_<name>` (or `batch_<name>` every `update_freq` samples),
    and histograms of the weights every `histogram_freq` epochs.

    Example:
        >>> model.fit(x, y, epochs=5, callbacks=[tf.keras.callbacks.TensorBoard("./logs")])
    """

    def __init__(self, log_dir="./logs", histogram_freq=0, batch_size=32, write_graph=True,
                 write_grads=False, write_images=False, embeddings_freq=0,
                 embeddings_layer_names=None, embeddings_metadata=None, embeddings_data=None,
                 update_freq="epoch", profile_batch=2):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph, self.write_grads = write_graph, write_grads
        self.write_images, self.batch_size = write_images, batch_size
        self.embeddings_freq = embeddings_freq
        if embeddings_freq:
            raise NotImplementedError("TensorBoard(embeddings_freq=...) is not implemented.")
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.merged = None
        self.writer = None
        self._samples_seen = 0
        self._samples_seen_at_last_write = 0
        self._total_batches_seen = 0

    def set_model(self, model):
        from tensorflux.summary import writer as writer_lib

        self.model = model
        graph = backend.get_graph() if self.write_graph else None
        self.writer = writer_lib.FileWriter(self.log_dir, graph)
        if self.histogram_freq and self.merged is None:
            from tensorflux.ops import summary_ops

            with backend.get_graph().as_default():
                ops = [summary_ops.histogram(w.name.replace(":", "_"), w)
                       for layer in model.layers for w in layer.weights]
                self.merged = summary_ops.merge(ops) if ops else None

    def _write_custom_summaries(self, step, logs):
        from tensorflux.summary.proto import Summary

        for name, value in logs.items():
            if isinstance(value, np.ndarray):
                value = value.item()
            summary = Summary()
            summary_value = summary.value.add()
            summary_value.simple_value = float(value)
            summary_value.tag = name
            self.writer.add_summary(summary, step)
        self.writer.flush()

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        self._samples_seen += logs.get("size", 1)
        since = self._samples_seen - self._samples_seen_at_last_write
        if self.update_freq != "epoch" and since >= self.update_freq:
            batch_logs = {"batch_" + k: v for k, v in logs.items()
                          if k not in ("batch", "size", "num_steps")}
            self._write_custom_summaries(self._total_batches_seen, batch_logs)
            self._samples_seen_at_last_write = self._samples_seen
        self._total_batches_seen += 1

    def on_epoch_end(self, epoch, logs=None):
        logs = {"epoch_" + k: v for k, v in (logs or {}).items()
                if k not in ("batch", "size", "num_steps")}
        step = epoch if self.update_freq == "epoch" else self._samples_seen
        self._write_custom_summaries(step, logs)
        if self.merged is not None and epoch % self.histogram_freq == 0:
            self.writer.add_summary(backend.get_session().run(self.merged), epoch)
            self.writer.flush()

    def on_train_end(self, logs=None):
        self.writer.close()


class RemoteMonitor(Callback):
    """POSTs each epoch's logs as JSON to `root + path` (needs the `requests` package).

    Example:
        >>> tf.keras.callbacks.RemoteMonitor(root="http://localhost:9000")
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, send_as_json=False):
        super().__init__()
        self.root, self.path, self.field = root, path, field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        try:
            import requests
        except ImportError:
            raise ImportError("RemoteMonitor requires the `requests` library.") from None
        send = {"epoch": epoch}
        for k, v in (logs or {}).items():
            send[k] = v.item() if isinstance(v, (np.ndarray, np.generic)) else v
        try:
            if self.send_as_json:
                requests.post(self.root + self.path, json=send, headers=self.headers)
            else:
                requests.post(self.root + self.path, {self.field: json.dumps(send)},
                              headers=self.headers)
        except requests.exceptions.RequestException:
            _LOG.warning("Warning: could not reach RemoteMonitor root server at %s",
                         self.root)


__all__ = ["CSVLogger", "Callback", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau",
           "RemoteMonitor", "TensorBoard", "TerminateOnNaN"]
