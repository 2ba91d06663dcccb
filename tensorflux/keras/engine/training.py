"""`tf.keras.Model`: a `Network` that compiles to a loss, metrics and an optimizer, and trains
in graph mode in the Keras session (`tf.keras.backend.get_session()`).

`compile` builds, for each output, a target placeholder `<output layer>_target` and the mean
per-sample loss; the total loss adds the layers' losses (regularizers). The training step
(`optimizer.get_updates` plus the layers' updates, under name scope `training`) is built on the
first `fit`/`train_on_batch`. A run feeds the inputs, the targets and, when the graph has one,
the learning phase (True in training), so Dropout and BatchNormalization switch by themselves.
Metric objects (`tf.keras.metrics.AUC()`, ...) are stateful as in TF 1.x Keras: their tensors
accumulate over an epoch (or an evaluation) between `reset_metrics()` calls.

Example:
    >>> model = tf.keras.Model(inputs, outputs)
    >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
    ...               metrics=["accuracy"])
    >>> history = model.fit(x_train, y_train, epochs=2, batch_size=32)
    >>> history.history["acc"]
"""

import os

import numpy as np

from tensorflux.graph import graph as graph_lib
from tensorflux.keras import backend, losses, metrics, optimizers
from tensorflux.keras.engine import network, training_arrays, training_generator
from tensorflux.keras.saving import hdf5_format
from tensorflux.ops import control_flow_ops, math_ops, reduction_ops


class Model(network.Network):
    """Groups layers into an object with training and inference features.

    Example:
        >>> inputs = tf.keras.Input(shape=(3,))
        >>> model = tf.keras.Model(inputs, tf.keras.layers.Dense(2)(inputs))
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.optimizer = None
        self._train_function = None
        self.stop_training = False
        self.history = None

    # --- compile ----------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                sample_weight_mode=None, weighted_metrics=None, target_tensors=None, **kwargs):
        """Configures the model: the optimizer, a loss per output and the metrics.

        Example:
            >>> model.compile(tf.keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
        """
        if not self.outputs and not self._is_graph_network:  # subclassed: wait for data
            self._pending_compile = dict(optimizer=optimizer, loss=loss, metrics=metrics,
                                         loss_weights=loss_weights)
            return
        self._ensure_built()
        self.optimizer = optimizers.get(optimizer)
        outputs = self.outputs
        loss_fns = self._per_output(loss, "loss")
        weights = self._per_output(loss_weights if loss_weights is not None else 1.0,
                                   "loss_weights")
        names = [self._output_name(i) for i in range(len(outputs))]
        g = outputs[0].graph
        with g.as_default():
            self.targets = [backend.placeholder(ndim=t.shape.ndims, name=n + "_target",
                                                dtype=t.dtype.base_dtype)
                            for t, n in zip(outputs, names)]
            if target_tensors is not None:
                self.targets = list(target_tensors)
            with graph_lib.name_scope("loss"):
                per_output = [reduction_ops.reduce_mean(fn(y, p))
                              for fn, y, p in zip(loss_fns, self.targets, outputs)]
                total = math_ops.add_n([w * x for w, x in zip(weights, per_output)]) \
                    if len(per_output) > 1 or weights[0] != 1.0 else per_output[0]
                if self.losses:
                    total = total + math_ops.add_n(self.losses)
            self.total_loss = total
            self.metrics_names = ["loss"]
            self._metric_tensors = []
            if len(outputs) > 1:
                self.metrics_names += [n + "_loss" for n in names]
                self._metric_tensors += per_output
            self._compile_metrics(metrics, loss_fns, names)
        self.loss = loss
        self._compile_config = {"metrics": list(metrics or []) if not isinstance(
            metrics, dict) else metrics, "loss_weights": loss_weights,
            "sample_weight_mode": sample_weight_mode, "weighted_metrics": weighted_metrics}
        self.loss_functions = loss_fns
        self._train_function = None
        self._compiled = True

    def _per_output(self, value, what):
        n = len(self.outputs)
        if isinstance(value, dict):
            value = [value[self._output_name(i)] for i in range(n)]
        if isinstance(value, (list, tuple)):
            if len(value) != n:
                raise ValueError("When passing a list as %s, it should have one entry per model "
                                 "output. The model has %d outputs, but you passed %s=%s"
                                 % (what, n, what, value))
            values = list(value)
        else:
            values = [value] * n
        if what == "loss":
            if any(v is None for v in values):
                raise ValueError("The model needs a loss: compile(loss=...).")
            return [losses.get(v) for v in values]
        return [float(v) for v in values]

    def _output_name(self, i):
        from tensorflux.keras.engine import node as node_lib

        record = node_lib.history(self.outputs[i])
        return record[0].layer.name if record else "output_%d" % (i + 1)

    def _compile_metrics(self, metric_spec, loss_fns, names):
        """One metric tensor per compiled metric, named as tf_keras names them.

        A `Metric` object (or a class, class name or `serialize` dict of one) is stateful: its
        tensor runs `update_state` and returns `result()`, the value accumulated since the last
        `reset_metrics()` (fit resets at each epoch and before validation, evaluate before its
        first batch). Metric functions ('accuracy', 'mae', callables) give the batch mean, which
        the loops average over the samples. Two metrics of one output with the same name are
        one (the later replaces the earlier, as in tf_keras); a name already taken gets `_1`,
        `_2`, ...
        """
        self._stateful_metrics = []
        self._metric_stateful = [False] * len(self._metric_tensors)
        for i, (output, target) in enumerate(zip(self.outputs, self.targets)):
            spec = metric_spec
            if isinstance(spec, dict):
                spec = spec.get(names[i], [])
            elif isinstance(spec, (list, tuple)) and spec and isinstance(spec[0], list):
                spec = spec[i]
            if not isinstance(spec, (list, tuple)):
                spec = [spec] if spec is not None else []
            entries = {}
            for m in spec:
                given = m if isinstance(m, str) else None
                m = _metric_object(m)
                if isinstance(m, metrics.Metric):
                    entries[given or m.name] = m   # "AUC" is logged as "AUC", as tf_keras
                else:
                    name, fn = metrics.resolve(m, loss_fns[i], output.shape.as_list())
                    entries[name] = fn
            for name, fn in entries.items():
                # A metric read back from a model file already carries its output's name.
                if len(self.outputs) > 1 and not getattr(fn, "_from_serialized", False):
                    name = names[i] + "_" + name
                name = _unique_name(name, self.metrics_names)
                stateful = isinstance(fn, metrics.Metric)
                with graph_lib.name_scope(name):
                    if stateful:
                        fn.name = name
                        value = fn(target, output)
                        self._stateful_metrics.append(fn)
                    else:
                        value = reduction_ops.reduce_mean(fn(target, output))
                self._metric_tensors.append(value)
                self._metric_stateful.append(stateful)
                self.metrics_names.append(name)

    def reset_metrics(self):
        """Zeroes the state of the compiled `Metric` objects (AUC, Precision, ...).

        Example:
            >>> model.reset_metrics()
        """
        for m in getattr(self, "_stateful_metrics", []):
            m.reset_states()

    @property
    def metrics(self):
        """The compiled `Metric` objects (tf_keras' `model.metrics` also wraps the metric
        functions, which tensorflux computes without objects)."""
        return list(getattr(self, "_stateful_metrics", []))

    def _ensure_built(self):
        if not self.outputs:
            raise ValueError("This model has not yet been built: give the first layer an "
                             "`input_shape`, or call the model (or `fit`) on data first.")

    # --- graph functions --------------------------------------------------------------------
    def _feed(self, xs, ys=None, training=False):
        feed = dict(zip(self.inputs, xs))
        if ys is not None:
            feed.update(zip(self.targets, ys))
        phase = backend.learning_phase_placeholder(self.inputs[0].graph)
        if phase is not None:
            feed[phase] = training
        return feed

    def _make_train_function(self):
        if not getattr(self, "_compiled", False):
            raise RuntimeError("You must compile your model before using it.")
        if self._train_function is None:
            with self.outputs[0].graph.as_default(), graph_lib.name_scope("training"):
                updates = self.optimizer.get_updates(self.total_loss, self.trainable_weights)
                self._train_function = control_flow_ops.group(*(updates + self.updates))
        return self._train_function

    def _run(self, fetches, feed):
        return backend.get_session().run(fetches, feed)

    def _standardize(self, x, y=None):
        xs = [np.asarray(a) for a in (x if isinstance(x, (list, tuple)) else [x])]
        if not self.outputs:
            self._build_from_arrays(xs)
        pending = getattr(self, "_pending_compile", None)
        if pending is not None and self.outputs:
            self._pending_compile = None
            self.compile(**pending)
        if y is None:
            return xs, None
        ys = [np.asarray(a) for a in (y if isinstance(y, (list, tuple)) else [y])]
        ys = [a[:, None] if a.ndim == 1 else a for a in ys]  # Keras' 1-D target convention
        return xs, ys

    def _build_from_arrays(self, xs):
        """Builds a subclassed model on placeholders shaped like the data (then compiles)."""
        from tensorflux.keras.engine.input_layer import Input

        if self._is_graph_network:
            raise ValueError("This model has not yet been built.")
        inputs = [Input(shape=a.shape[1:], dtype=a.dtype if a.dtype.kind == "f" else None)
                  for a in xs]
        out = self(inputs if len(inputs) > 1 else inputs[0])
        self.inputs, self.outputs = inputs, network._as_list(out)
        self._nested_outputs = out

    # --- single batches ---------------------------------------------------------------------
    def train_on_batch(self, x, y, sample_weight=None, class_weight=None, reset_metrics=True):
        """One gradient step on one batch; returns the loss (and metrics) before the step.

        Example:
            >>> loss, acc = model.train_on_batch(x_batch, y_batch)
        """
        xs, ys = self._standardize(x, y)
        train_op = self._make_train_function()
        values = self._run([self.total_loss] + self._metric_tensors + [train_op],
                           self._feed(xs, ys, training=True))[:-1]
        if reset_metrics:
            self.reset_metrics()
        return _single(values)

    def test_on_batch(self, x, y, sample_weight=None, reset_metrics=True):
        """The loss (and metrics) on one batch, in inference mode."""
        xs, ys = self._standardize(x, y)
        self._ensure_compiled()
        values = self._run([self.total_loss] + self._metric_tensors, self._feed(xs, ys))
        if reset_metrics:
            self.reset_metrics()
        return _single(values)

    def predict_on_batch(self, x):
        """The model's outputs on one batch."""
        xs, _ = self._standardize(x)
        values = self._run(self.outputs, self._feed(xs))
        return values[0] if len(values) == 1 else values

    def _ensure_compiled(self):
        if not getattr(self, "_compiled", False):
            raise RuntimeError("You must compile your model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")

    # --- loops ------------------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            **kwargs):
        """Trains for `epochs` passes over `(x, y)`; returns the `History` callback.

        Example:
            >>> h = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.1)
            >>> h.history["loss"], h.history["val_loss"]
        """
        if training_generator.is_generator_like(x):
            return self.fit_generator(x, steps_per_epoch, epochs, verbose, callbacks,
                                      validation_data, validation_steps,
                                      initial_epoch=initial_epoch)
        _check_unsupported(x, y, sample_weight=sample_weight, class_weight=class_weight,
                           steps_per_epoch=steps_per_epoch, **kwargs)
        xs, ys = self._standardize(x, y)
        self._ensure_compiled()
        val = None
        if validation_data is not None:
            val = self._standardize(validation_data[0], validation_data[1])
        elif validation_split and 0.0 < validation_split < 1.0:
            split = int(len(xs[0]) * (1.0 - validation_split))
            val = ([a[split:] for a in xs], [a[split:] for a in ys])
            xs, ys = [a[:split] for a in xs], [a[:split] for a in ys]
        return training_arrays.fit_loop(self, xs, ys, batch_size or 32, epochs, verbose,
                                        callbacks, val, shuffle, initial_epoch)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None,
                 steps=None, callbacks=None, **kwargs):
        """The loss (and metrics) over `(x, y)`, averaged over samples.

        Example:
            >>> test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
        """
        if training_generator.is_generator_like(x):
            return self.evaluate_generator(x, steps, verbose=verbose)
        xs, ys = self._standardize(x, y)
        self._ensure_compiled()
        values = training_arrays.test_loop(self, xs, ys, batch_size or 32, verbose)
        return _single(values)

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None, **kwargs):
        """The model's outputs for `x`, computed in batches (inference mode).

        Example:
            >>> probs = model.predict(x_test)
        """
        if training_generator.is_generator_like(x):
            return self.predict_generator(x, steps)
        xs, _ = self._standardize(x)
        return training_arrays.predict_loop(self, xs, batch_size or 32)

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1,
                      callbacks=None, validation_data=None, validation_steps=None,
                      class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """Trains on batches `(x, y)` from a generator, e.g. `ImageDataGenerator.flow`.

        Batches are read in order in this process (`workers`, `max_queue_size` and
        `use_multiprocessing` are accepted and ignored).

        Example:
            >>> model.fit_generator(datagen.flow(x, y, batch_size=32), steps_per_epoch=10,
            ...                     epochs=2)
        """
        if class_weight is not None:
            raise NotImplementedError("fit_generator in tensorflux does not support "
                                      "class_weight.")
        return training_generator.fit_generator(
            self, generator, steps_per_epoch, epochs, verbose, callbacks, validation_data,
            validation_steps, initial_epoch)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                           workers=1, use_multiprocessing=False, verbose=0):
        """The loss (and metrics) over `steps` batches from a generator."""
        return _single(training_generator.evaluate_generator(self, generator, steps, verbose))

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                          workers=1, use_multiprocessing=False, verbose=0):
        """The outputs for `steps` batches from a generator, concatenated."""
        return training_generator.predict_generator(self, generator, steps)

    # --- weights files ----------------------------------------------------------------------
    def save_weights(self, filepath, overwrite=True, save_format=None):
        """Saves the weights in HDF5 (a `.h5`/`.hdf5`/`.keras` path or `save_format="h5"`,
        tf_keras' layout) or else as a TensorFlow checkpoint (`filepath.index`, `.data-*`).

        Example:
            >>> model.save_weights("ckpt/weights")       # checkpoint
            >>> model.save_weights("weights.h5")         # HDF5
        """
        if _weights_format(filepath, save_format) == "h5":
            hdf5_format.save_weights(self, filepath)
            return
        from tensorflux.train import Saver

        directory = os.path.dirname(filepath)
        if directory:
            os.makedirs(directory, exist_ok=True)
        Saver(var_list=self.weights).save(backend.get_session(), filepath)

    def load_weights(self, filepath, by_name=False, skip_mismatch=False):
        """Loads weights saved by `save_weights` (HDF5 file or TensorFlow checkpoint).

        HDF5 files load by layer order (layers with weights only) or, with `by_name`, by layer
        name; a mismatch raises ValueError and loads nothing (`skip_mismatch` skips it).

        Example:
            >>> model.load_weights("weights.h5", by_name=True)
        """
        if skip_mismatch and not by_name:
            raise ValueError("When calling model.load_weights, skip_mismatch can only be set "
                             "to True when by_name is True.")
        if _is_hdf5_file(filepath):
            self._ensure_weights_exist()
            hdf5_format.load_weights(self, filepath, by_name, skip_mismatch)
            return
        if by_name:
            raise NotImplementedError("Weights may only be loaded based on topology into "
                                      "Models when loading TensorFlow-formatted weights (got "
                                      "by_name=True to load_weights).")
        from tensorflux.train import Saver

        Saver(var_list=self.weights).restore(backend.get_session(), filepath)

    def _ensure_weights_exist(self):
        if not self._is_graph_network and not self.built:
            raise ValueError("Unable to load weights saved in HDF5 format into a subclassed "
                             "Model which has not created its variables yet. Call the Model "
                             "first, then load the weights.")

    def save(self, filepath, overwrite=True, include_optimizer=True, save_format=None):
        """Saves the model (config, weights, training config) in one HDF5 file, TF 1.x's
        default format; `tf.keras.models.load_model` reads it back.

        Example:
            >>> model.save("model.h5")
            >>> same = tf.keras.models.load_model("model.h5")
        """
        if save_format is not None and save_format.lower() not in ("h5", "hdf5", "keras"):
            if save_format.lower() in ("tf", "tensorflow"):
                raise NotImplementedError("Keras SavedModel saving (save_format='tf') is not "
                                          "supported by tensorflux; use save_format='h5'.")
            raise ValueError("Unknown `save_format` argument. Expected one of 'keras', 'tf', "
                             "or 'h5'. Received: save_format=%s" % save_format)
        hdf5_format.save_model(self, filepath, overwrite, include_optimizer)


def _check_unsupported(x, y, **options):
    """Clear errors for `fit` inputs beyond numpy arrays (instead of silently ignoring them)."""
    given = sorted(k for k, v in options.items() if v is not None)
    if given:
        raise NotImplementedError("Model.fit in tensorflux takes numpy arrays without sample "
                                  "or class weights; unsupported argument(s): %s" % given)
    if x is None or y is None:
        raise ValueError("Model.fit needs numpy arrays `x` and `y` (data sets, generators and "
                         "symbolic tensors are not supported).")


def _metric_object(metric):
    """A `Metric` instance for a Metric class, a class name or a `serialize` dict; any other
    identifier as it is."""
    if isinstance(metric, type) and issubclass(metric, metrics.Metric):
        return metric()
    if isinstance(metric, dict):
        return metrics.deserialize(metric)
    if isinstance(metric, str) and metric in metrics._CLASSES:
        return metrics._CLASSES[metric]()
    return metric


def _unique_name(name, taken):
    """`name`, or `name_1`, `name_2`, ... when taken (tf_keras' `_add_unique_metric_name`)."""
    unique, j = name, 1
    while unique in taken:
        unique = "%s_%d" % (name, j)
        j += 1
    return unique


def _single(values):
    values = list(values)
    return values[0] if len(values) == 1 else values


def _weights_format(filepath, save_format):
    """"h5" or "tf", as tf_keras' `save_weights` decides from the suffix and `save_format`."""
    is_h5 = hdf5_format.is_hdf5_filepath(filepath)
    if save_format is None:
        return "h5" if is_h5 else "tf"
    user_format = save_format.lower().strip()
    if user_format in ("hdf5", "h5", "keras"):
        return "h5"
    if user_format not in ("tensorflow", "tf"):
        raise ValueError('Unknown format. Received: `save_format`=%s. Was expecting one of '
                         '{"tf", "h5"}.' % save_format)
    if is_h5:
        raise ValueError('save_weights got save_format="tf"/"tensorflow", but the filepath (%s) '
                         'looks like an HDF5 file. Omit the ".h5"/".keras" when saving in '
                         'TensorFlow format.' % filepath)
    return "tf"


def _is_hdf5_file(filepath):
    """An HDF5 suffix, or an existing file with HDF5's signature (checkpoints are prefixes)."""
    if hdf5_format.is_hdf5_filepath(filepath):
        return True
    if not os.path.isfile(str(filepath)):
        return False
    with open(filepath, "rb") as f:
        return f.read(8) == b"\x89HDF\r\n\x1a\n"
