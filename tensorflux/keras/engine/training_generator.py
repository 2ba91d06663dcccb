"""The loops behind `Model.fit_generator`, `evaluate_generator` and `predict_generator` (and
`fit`/`evaluate`/`predict` given a generator): batches come from a Python generator or
iterator (`ImageDataGenerator.flow(...)`, `flow_from_directory(...)`, any `yield (x, y)`),
or a Sequence-like object (`__len__` + `__getitem__`) read in order.

Each batch is `(x, y)` or `(x, y, sample_weight)` (sample weights are not supported and
raise). An epoch is `steps_per_epoch` batches (default: `len(generator)` when it has a length);
the epoch's loss and metric functions average the batches' values weighted by batch size, and
stateful `Metric` objects report their value accumulated since the epoch's start, like the
array loops.
"""

import numpy as np

from tensorflux.keras import backend
from tensorflux.keras import callbacks as callbacks_lib
from tensorflux.keras.engine import training_arrays


def is_generator_like(x):
    """True for what the generator loops take (not numpy arrays, lists or dicts of them)."""
    if x is None or isinstance(x, (np.ndarray, list, tuple, dict)):
        return False
    return hasattr(x, "__next__") or (hasattr(x, "__getitem__") and hasattr(x, "__len__"))


def _batches(generator):
    """An endless stream of batches from an iterator or a Sequence-like object."""
    if hasattr(generator, "__next__"):
        while True:
            yield next(generator)
    while True:
        for i in range(len(generator)):
            yield generator[i]
        if hasattr(generator, "on_epoch_end"):
            generator.on_epoch_end()


def _steps(generator, steps, what):
    if steps is None:
        if hasattr(generator, "__len__"):
            return len(generator)
        raise ValueError("`%s=None` is only valid for a generator based on the "
                         "`keras.utils.Sequence` class. Please specify `%s` or use the "
                         "`keras.utils.Sequence` class." % (what, what))
    return int(steps)


def _split(model, batch):
    if not isinstance(batch, tuple) or len(batch) not in (2, 3):
        raise ValueError("Output of generator should be a tuple `(x, y, sample_weight)` or "
                         "`(x, y)`. Found: " + str(batch))
    if len(batch) == 3 and batch[2] is not None:
        raise NotImplementedError("Sample weights from a generator are not supported by "
                                  "tensorflux.")
    return model._standardize(batch[0], batch[1])


def fit_generator(model, generator, steps_per_epoch=None, epochs=1, verbose=1, callbacks=None,
                  validation_data=None, validation_steps=None, initial_epoch=0):
    """Trains `model` on batches from `generator`; returns its `History`."""
    steps = _steps(generator, steps_per_epoch, "steps_per_epoch")
    stream = _batches(generator)
    first = _split(model, next(stream))  # builds/compiles a subclassed model if needed
    model._ensure_compiled()
    names = list(model.metrics_names)
    val_is_generator = is_generator_like(validation_data)
    out_names = names + (["val_" + m for m in names] if validation_data is not None else [])
    history = callbacks_lib.History()
    cbks = callbacks_lib.CallbackList(list(callbacks or []) + [history])
    cbks.set_model(model)
    cbks.set_params({"epochs": epochs, "steps": steps, "verbose": verbose,
                     "do_validation": validation_data is not None, "metrics": out_names})
    fetches = [model.total_loss] + model._metric_tensors + [model._make_train_function()]
    sess = backend.get_session()
    model.stop_training = False
    cbks.on_train_begin({})
    for epoch in range(initial_epoch, epochs):
        model.reset_metrics()
        cbks.on_epoch_begin(epoch, {})
        if verbose:
            print("Epoch %d/%d" % (epoch + 1, epochs))
        bar = training_arrays.Progbar(steps, verbose, unit_name="step")
        aggregate = training_arrays.MetricsAggregator(model)
        for step in range(steps):
            if first is not None:
                (xs, ys), first = first, None
            else:
                xs, ys = _split(model, next(stream))
            size = len(xs[0])
            logs = {"batch": step, "size": size}
            cbks.on_batch_begin(step, logs)
            values = sess.run(fetches, model._feed(xs, ys, training=True))[:-1]
            aggregate.add(values, size)
            logs.update(zip(names, (float(v) for v in values)))
            cbks.on_batch_end(step, logs)
            bar.update(step + 1, list(zip(names, aggregate.results())))
            if model.stop_training:
                break
        epoch_logs = dict(zip(names, aggregate.results()))
        if validation_data is not None:
            if val_is_generator:
                val_values = evaluate_generator(model, validation_data, validation_steps)
            else:
                xs, ys = model._standardize(validation_data[0], validation_data[1])
                val_values = training_arrays.test_loop(model, xs, ys, 32, 0)
            epoch_logs.update(("val_" + m, float(v)) for m, v in zip(names, val_values))
        bar.finish([(k, epoch_logs[k]) for k in out_names])
        cbks.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    cbks.on_train_end({})
    model.history = history
    return history


def evaluate_generator(model, generator, steps=None, verbose=0):
    """Loss and metrics over `steps` batches, weighted by batch size (stateful metrics reset
    first and read after the last batch)."""
    steps = _steps(generator, steps, "steps")
    stream = _batches(generator)
    aggregate = None
    for _ in range(steps):
        xs, ys = _split(model, next(stream))
        if aggregate is None:   # the first batch may build and compile a subclassed model
            model._ensure_compiled()
            model.reset_metrics()
            aggregate = training_arrays.MetricsAggregator(model)
        fetches = [model.total_loss] + model._metric_tensors
        aggregate.add(backend.get_session().run(fetches, model._feed(xs, ys)), len(xs[0]))
    if aggregate is None:
        raise ValueError("evaluate_generator needs at least one step (got steps=%d)." % steps)
    results = aggregate.results()
    training_arrays.Progbar(steps, verbose, unit_name="step").finish(
        list(zip(model.metrics_names, results)))
    return results


def predict_generator(model, generator, steps=None):
    """The outputs for `steps` batches (a batch is `x`, or a tuple whose first item is `x`)."""
    steps = _steps(generator, steps, "steps")
    stream = _batches(generator)
    chunks = []
    for _ in range(steps):
        batch = next(stream)
        x = batch[0] if isinstance(batch, tuple) else batch
        xs, _ = model._standardize(x)
        chunks.append(backend.get_session().run(model.outputs, model._feed(xs)))
    outs = [np.concatenate([c[i] for c in chunks]) for i in range(len(model.outputs))]
    return outs[0] if len(outs) == 1 else outs
