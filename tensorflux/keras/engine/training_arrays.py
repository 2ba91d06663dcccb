"""The loops behind `Model.fit`, `evaluate` and `predict` on numpy arrays (TF 1.x's v1 loops).

An epoch walks the samples in batches (reshuffled with numpy's global generator when
`shuffle`), runs the training step and averages each batch's loss and metric functions weighted
by the batch size; a stateful `Metric` object (AUC, Precision, ...) reports its last fetched
value, accumulated since its reset at the start of the epoch (TF 1.x Keras' MetricsAggregator).
Validation runs the test loop after every epoch (resetting the metrics first) and adds `val_*`
entries. Progress is printed as Keras' progress bar (`verbose=1`) or one line per epoch
(`verbose=2`).
"""

import sys
import time

import numpy as np

from tensorflux.keras import backend
from tensorflux.keras import callbacks as callbacks_lib


class Progbar:
    """Keras' progress bar: `8/10 [=======>...] - ETA: 0s - loss: 0.4311` lines."""

    def __init__(self, target, verbose=1, width=30, unit_name="sample", stream=None):
        self.target, self.verbose, self.width, self.unit_name = target, verbose, width, unit_name
        self.stream = stream or sys.stdout
        self.dynamic = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.time()

    @staticmethod
    def _values(values):
        text = ""
        for name, value in values:
            text += " - %s:" % name
            text += " %.4f" % value if abs(value) > 1e-3 else " %.4e" % value
        return text

    def _bar(self, current):
        filled = int(self.width * current / self.target) if self.target else self.width
        bar = "%d/%d [" % (current, self.target)
        if filled > 0:
            bar += "=" * (filled - 1) + (">" if current < self.target else "=")
        return bar + "." * (self.width - filled) + "]"

    def update(self, current, values=()):
        """Redraws the bar (on a terminal, verbose=1) after `current` samples."""
        if self.verbose != 1 or not self.dynamic or current >= self.target:
            return
        elapsed = time.time() - self.start
        eta = elapsed / max(current, 1) * (self.target - current)
        line = self._bar(current) + " - ETA: %ds" % eta + self._values(values)
        self.stream.write("\r" + line)
        self.stream.flush()

    def finish(self, values=()):
        """Prints the epoch's final line."""
        if not self.verbose:
            return
        elapsed = time.time() - self.start
        if self.verbose == 1:
            per_unit = elapsed / max(self.target, 1)
            if per_unit >= 1 or per_unit == 0:
                speed = " %.0fs/%s" % (per_unit, self.unit_name)
            elif per_unit >= 1e-3:
                speed = " %.0fms/%s" % (per_unit * 1e3, self.unit_name)
            else:
                speed = " %.0fus/%s" % (per_unit * 1e6, self.unit_name)
            line = self._bar(self.target) + " - %.0fs" % elapsed + speed
        else:
            line = "%d/%d - %.0fs" % (self.target, self.target, elapsed)
        prefix = "\r" if self.dynamic and self.verbose == 1 else ""
        self.stream.write(prefix + line + self._values(values) + "\n")
        self.stream.flush()


class MetricsAggregator:
    """The loss and metrics of a run of batches: a sample-weighted mean of the batch values,
    except for stateful metrics, which already accumulate and give their last value."""

    def __init__(self, model):
        self.stateful = np.array([False] + list(getattr(model, "_metric_stateful", [])), bool)
        self.totals = np.zeros(len(self.stateful))
        self.last = np.zeros(len(self.stateful))
        self.seen = 0

    def add(self, values, size):
        values = np.asarray(values, dtype=np.float64)
        self.totals += values * size
        self.last = values
        self.seen += size

    def results(self):
        means = self.totals / max(self.seen, 1)
        return [float(v) for v in np.where(self.stateful, self.last, means)]


def _batches(n, batch_size, index=None):
    index = np.arange(n) if index is None else index
    for start in range(0, n, batch_size):
        yield index[start:start + batch_size]


def _take(arrays, ids):
    return [a[ids] for a in arrays]


def fit_loop(model, xs, ys, batch_size, epochs, verbose, callbacks, val, shuffle,
             initial_epoch=0):
    """Trains `model` for `epochs`; returns its `History` (also `model.history`)."""
    n = len(xs[0])
    names = list(model.metrics_names)
    out_names = names + (["val_" + m for m in names] if val else [])
    history = callbacks_lib.History()
    cbks = callbacks_lib.CallbackList(list(callbacks or []) + [history])
    cbks.set_model(model)
    cbks.set_params({"batch_size": batch_size, "epochs": epochs, "steps": None, "samples": n,
                     "verbose": verbose, "do_validation": bool(val), "metrics": out_names})
    fetches = [model.total_loss] + model._metric_tensors + [model._make_train_function()]
    sess = backend.get_session()
    if verbose:
        print("Train on %d samples" % n + (", validate on %d samples" % len(val[0][0])
                                           if val else ""))
    model.stop_training = False
    cbks.on_train_begin({})
    for epoch in range(initial_epoch, epochs):
        model.reset_metrics()
        cbks.on_epoch_begin(epoch, {})
        if verbose:
            print("Epoch %d/%d" % (epoch + 1, epochs))
        index = np.arange(n)
        if shuffle is True:
            np.random.shuffle(index)
        bar = Progbar(n, verbose)
        aggregate = MetricsAggregator(model)
        for b, ids in enumerate(_batches(n, batch_size, index)):
            logs = {"batch": b, "size": len(ids)}
            cbks.on_batch_begin(b, logs)
            feed = model._feed(_take(xs, ids), _take(ys, ids), training=True)
            values = sess.run(fetches, feed)[:-1]
            aggregate.add(values, len(ids))
            logs.update(zip(names, (float(v) for v in values)))
            cbks.on_batch_end(b, logs)
            bar.update(aggregate.seen, list(zip(names, aggregate.results())))
            if model.stop_training:
                break
        epoch_logs = dict(zip(names, aggregate.results()))
        if val:
            val_values = test_loop(model, val[0], val[1], batch_size, 0)
            epoch_logs.update(("val_" + m, float(v)) for m, v in zip(names, val_values))
        bar.finish([(k, epoch_logs[k]) for k in out_names])
        cbks.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    cbks.on_train_end({})
    model.history = history
    return history


def test_loop(model, xs, ys, batch_size, verbose=0):
    """Loss and metrics over all samples (batch values weighted by batch size; stateful
    metrics reset first and read after the last batch)."""
    n = len(xs[0])
    fetches = [model.total_loss] + model._metric_tensors
    model.reset_metrics()
    sess = backend.get_session()
    aggregate = MetricsAggregator(model)
    for ids in _batches(n, batch_size):
        values = sess.run(fetches, model._feed(_take(xs, ids), _take(ys, ids)))
        aggregate.add(values, len(ids))
    results = aggregate.results()
    Progbar(n, verbose).finish(list(zip(model.metrics_names, results)))
    return results


def predict_loop(model, xs, batch_size):
    """The outputs for every sample, computed in batches and concatenated."""
    n = len(xs[0])
    sess = backend.get_session()
    chunks = [sess.run(model.outputs, model._feed(_take(xs, ids)))
              for ids in _batches(n, batch_size)]
    outs = [np.concatenate([c[i] for c in chunks]) for i in range(len(model.outputs))]
    return outs[0] if len(outs) == 1 else outs
