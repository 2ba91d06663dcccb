"""`tf.train.Saver` and the checkpoint helpers (`latest_checkpoint`, `list_variables`, …).

Checkpoints are TensorFlow's own V2 format (`checkpoint_format.py`): real TF reads ours and we
read theirs. Saving reads the variables' values straight from the Session; restoring validates
every tensor first (names, shapes, dtypes) and only then updates the Session, so a failed
restore changes nothing.
"""

import os
import time

import numpy as np

from tensorflux import errors
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import graph_def as graph_def_lib
from tensorflux.graph import protowire as pw
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op, control_flow_ops
from tensorflux.train import checkpoint_format as fmt


class SaverDef:
    """The `SaverDef` enum values (`write_version=tf.train.SaverDef.V2`)."""

    LEGACY = 0
    V1 = 1
    V2 = 2


def _var_key(var):
    """The session-state key of a Variable / variable tensor (its VariableV2 op name)."""
    from tensorflux.ops import state_ops

    if hasattr(var, "_variable"):
        return var._variable.op.name
    if isinstance(var, Tensor):
        return state_ops.variable_key(var)
    raise TypeError("Variable to save is not a Variable: %r" % (var,))


def _is_saveable(obj):
    """A saveable object (TF's `SaveableObject`, e.g. a CudnnLSTM layer's opaque parameters):
    it is saved as several checkpoint entries and restored from them. The hook is duck-typed:

    - `name`: its key in the Saver (never a checkpoint entry itself);
    - `spec_names`: the checkpoint entry names, in order;
    - `values_to_save(read)`: one array per entry, `read(variable)` giving a variable's value;
    - `values_to_restore(arrays)`: `[(variable, new value)]` from one array per entry.

    A saveable whose state is not variables (a mutable lookup table, `TableSaveable`) has
    instead `save_from_session(sess)` (one array per entry), `dtypes` (one per entry, checked
    by the Saver), `check(arrays)` (raises TF's error for other mismatches, before anything is
    restored) and `restore_to_session(sess, arrays)`.
    """
    return (callable(getattr(obj, "values_to_save", None))
            or callable(getattr(obj, "save_from_session", None))) and hasattr(obj, "spec_names")


def _names_to_vars(var_list):
    if var_list is None:
        var_list = graph_lib.get_collection(GraphKeys.GLOBAL_VARIABLES) + graph_lib.get_collection(
            GraphKeys.SAVEABLE_OBJECTS)
    if isinstance(var_list, dict):
        return dict(var_list)
    out = {}
    for v in var_list:
        if isinstance(v, (list, tuple)):
            for part in v:
                out.update(_names_to_vars([part]))
            continue
        name = v.name if _is_saveable(v) else v.op.name
        if name in out:
            raise ValueError("At least two variables have the same name: %s" % name)
        out[name] = v
    return out


class Saver:
    """Saves and restores variables in TensorFlow checkpoint files.

    Example:
        >>> saver = tf.train.Saver()
        >>> save_path = saver.save(sess, "/tmp/model.ckpt")
        >>> saver.restore(sess, save_path)
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=SaverDef.V2, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        if write_version not in (SaverDef.V2, SaverDef.V1):
            raise ValueError("Unsupported write_version %r" % write_version)
        self._var_list = var_list
        self._allow_empty = allow_empty
        self._name = name
        self._max_to_keep = max_to_keep
        self._keep_every = keep_checkpoint_every_n_hours
        self._next_keep_time = time.time() + keep_checkpoint_every_n_hours * 3600
        self._last_checkpoints = []
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._write_version = write_version
        self._filename = filename
        self._names = {}
        self._is_built = False
        self._is_empty = False
        self._graph = None
        self.saver_def = None
        if not defer_build:
            self.build()

    def build(self):
        """Builds the save and restore ops. `__init__` calls it unless `defer_build=True`.

        A deferred Saver saves the variables that exist when it is built, so an Estimator's
        checkpoints include variables made in a hook's `begin()`. Without variables it raises
        ValueError("No variables to save"), or with `allow_empty=True` it builds nothing and
        saves nothing, as TF's.
        """
        if self._is_built:
            return
        names = _names_to_vars(self._var_list)
        if not names and not self._allow_empty:
            raise ValueError("No variables to save")
        self._is_built = True
        self._graph = graph_lib.get_default_graph()
        if not names:
            self._is_empty = True
            return
        self._names = names
        # TF1 builds save/restore ops under a "save" name scope; reserve the same names.
        g = self._graph
        with g.as_default(), g.name_scope(self._name or "save") as scope:
            self._filename_tensor = constant_op.constant(self._filename or "model", name="Const")
            self._save_tensor, self._restore_op = self._build_nodes(g)
            self._scope = scope
        self.saver_def = self._saver_def_bytes()

    def _check_built(self, what):
        if not self._is_built:
            raise RuntimeError("`build()` should be called before %s if defer_build==True"
                               % what)

    def _build_nodes(self, g):
        """TF's save/restore nodes (`saver_graph.py`) for real TF to run from an exported graph.

        Returns (save tensor or None, restore op); without variables, for V1 checkpoints or
        for entries that are not plain variables, only the NoOp `restore_all` is made.
        """
        from tensorflux.train import saver_graph

        refs = saver_graph.variable_refs(self._names, g) if self._names else None
        if not refs or self._write_version != SaverDef.V2:
            return None, control_flow_ops.no_op(name="restore_all")
        return (saver_graph.build_save(self._filename_tensor, refs),
                saver_graph.build_restore(self._filename_tensor, refs))

    # --- properties ---------------------------------------------------------------------
    @property
    def last_checkpoints(self):
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints):
        self._last_checkpoints = [(p, None) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths):
        self._last_checkpoints = [(p, os.path.getmtime(fmt.index_filename(p)))
                                  for p in checkpoint_paths if checkpoint_exists(p)]

    def as_saver_def(self):
        """Serialized SaverDef bytes naming the (reserved) save/restore nodes (None before
        `build()` and for an empty Saver, as TF's)."""
        return self.saver_def

    def _saver_def_bytes(self):
        return (pw.encode_bytes_field(1, (self._scope + "Const:0").encode())
                + pw.encode_bytes_field(2, (self._scope + "control_dependency:0").encode())
                + pw.encode_bytes_field(3, self._restore_op.name.encode())
                + pw.encode_varint_field(4, self._max_to_keep or 0)
                + pw.encode_float_field(6, float(self._keep_every))
                + pw.encode_varint_field(7, self._write_version))

    # --- saving ---------------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):
        """Writes the variables' values to `save_path` (suffixed `-<global_step>` if given).

        Returns:
            The checkpoint prefix written.
        """
        if not hasattr(sess, "_variable_value"):
            raise TypeError("'sess' must be a Session; %s" % sess)
        self._check_built("save")
        save_path = os.fspath(save_path)
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = int(sess.run(global_step))
            fmt_str = "%s-%08d" if self._pad_step_number else "%s-%d"
            checkpoint_file = fmt_str % (save_path, global_step)
        else:
            checkpoint_file = save_path
        save_dir = os.path.dirname(save_path)
        if save_dir and not os.path.isdir(save_dir):
            raise ValueError("Parent directory of %s doesn't exist, can't save." % save_path)
        if os.path.basename(save_path) == (latest_filename or "checkpoint"):
            raise ValueError("'latest_filename' collides with 'save_path': '%s' and '%s'"
                             % (latest_filename or "checkpoint", save_path))
        if self._is_empty:  # TF: the meta graph only, and no checkpoint
            if write_meta_graph:
                self.export_meta_graph(checkpoint_file + "." + meta_graph_suffix)
            return None
        values = {}

        def read(var):
            return np.asarray(sess._variable_value(_var_key(var)))

        for name, var in self._names.items():
            if _is_saveable(var) and hasattr(var, "save_from_session"):
                arrays = var.save_from_session(sess)
                for spec, value, dtype in zip(var.spec_names, arrays, var.dtypes):
                    values[spec] = (np.asarray(value), dtype)
            elif _is_saveable(var):
                for spec, value in zip(var.spec_names, var.values_to_save(read)):
                    values[spec] = (np.asarray(value), var.dtype.base_dtype)
            else:
                values[name] = (read(var), var.dtype.base_dtype)
        tensors = {n: (v, dt.name) if dt == dtypes.bfloat16 else v
                   for n, (v, dt) in values.items()}
        fmt.write_bundle(checkpoint_file, tensors)
        if write_state:
            self._record(checkpoint_file, save_dir or ".", latest_filename)
        if write_meta_graph:
            self.export_meta_graph(checkpoint_file + "." + meta_graph_suffix)
        return checkpoint_file

    def _record(self, checkpoint_file, save_dir, latest_filename):
        now = time.time()
        abs_file = os.path.abspath(checkpoint_file)
        self._last_checkpoints = [(p, t) for p, t in self._last_checkpoints if p != abs_file]
        self._last_checkpoints.append((abs_file, now))
        while self._max_to_keep and len(self._last_checkpoints) > self._max_to_keep:
            old, stamp = self._last_checkpoints.pop(0)
            if stamp is not None and stamp > self._next_keep_time - self._keep_every * 3600 \
                    and now >= self._next_keep_time:
                self._next_keep_time += self._keep_every * 3600
                continue
            remove_checkpoint(old)
        paths = [p for p, _ in self._last_checkpoints]
        stamps = [t for _, t in self._last_checkpoints]
        fmt.write_checkpoint_state(
            os.path.abspath(save_dir), abs_file, paths,
            all_model_checkpoint_timestamps=stamps if all(s is not None for s in stamps)
            else None, latest_filename=latest_filename,
            save_relative_paths=self._save_relative_paths)

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False,
                          export_scope=None, clear_devices=False, clear_extraneous_savers=False,
                          strip_default_attrs=False, save_debug_info=False):
        """Writes a MetaGraphDef (graph, saver and collections) to `filename`."""
        g = self._graph or graph_lib.get_default_graph()
        data = graph_def_lib.meta_graph_def_bytes(g, self.saver_def, collection_list)
        if filename:
            from tensorflux.train import atomic_file

            atomic_file.atomic_write(filename, data)
        return data

    # --- restoring ------------------------------------------------------------------------
    def restore(self, sess, save_path):
        """Loads every saved variable from `save_path` into `sess` (all or nothing)."""
        self._check_built("restore")
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not checkpoint_exists(save_path):
            raise ValueError("The passed save_path is not a valid checkpoint: " + save_path)
        reader = fmt.open_checkpoint(save_path)
        updates = {}
        saveables = []
        into_session = []
        for name, var in self._names.items():
            if _is_saveable(var):
                saveables.append(var)
                continue
            if not reader.has_tensor(name):
                raise errors.NotFoundError(
                    None, None, "Key %s not found in checkpoint %s" % (name, save_path))
            value = reader.get_tensor(name)
            shape = var.get_shape()
            if shape.ndims is not None and not shape.is_compatible_with(value.shape):
                raise errors.InvalidArgumentError(
                    None, None, "Assign requires shapes of both tensors to match. lhs shape= %s "
                    "rhs shape= %s (restoring %s from %s)" % (shape.as_list(), list(value.shape),
                                                             name, save_path))
            want = var.dtype.base_dtype
            _check_dtype(reader, name, want)
            updates[_var_key(var)] = np.asarray(value, dtype=want.as_numpy_dtype)
        for saveable in saveables:  # after the variables, as TF's Saver restores them
            for spec in saveable.spec_names:
                if not reader.has_tensor(spec):
                    raise errors.NotFoundError(
                        None, None, "Key %s not found in checkpoint %s" % (spec, save_path))
            arrays = [reader.get_tensor(spec) for spec in saveable.spec_names]
            if hasattr(saveable, "restore_to_session"):
                for spec, want in zip(saveable.spec_names, saveable.dtypes):
                    _check_dtype(reader, spec, want)
                saveable.check(arrays)
                into_session.append((saveable, arrays))
                continue
            try:
                restored = saveable.values_to_restore(arrays)
            except ValueError as e:
                message = "%s (restoring %s from %s)" % (e, saveable.name, save_path)
                raise errors.InvalidArgumentError(None, None, message) from None
            for var, value in restored:
                dtype = var.dtype.base_dtype.as_numpy_dtype
                updates[_var_key(var)] = np.asarray(value, dtype=dtype)
        sess._set_variable_values(updates)
        for saveable, arrays in into_session:  # checked above: nothing fails half-way
            saveable.restore_to_session(sess, arrays)

    @staticmethod
    def _add_collection_def(meta_graph_def, key, export_scope=None):
        pass


def _check_dtype(reader, name, want):
    """TF's error when checkpoint entry `name` does not hold dtype `want`."""
    got = reader.get_variable_to_dtype_map()[name]
    if got != want.name and not (want == dtypes.bfloat16 and got == "bfloat16"):
        raise errors.InvalidArgumentError(
            None, None, "tensor_name = %s; expected dtype %s does not equal original "
            "dtype %s" % (name, want.name, got))


# --- module-level helpers ----------------------------------------------------------------------
def checkpoint_exists(checkpoint_prefix):
    """True if a V2 index or a V1 file exists for this prefix."""
    p = os.fspath(checkpoint_prefix)
    return os.path.isfile(fmt.index_filename(p)) or os.path.isfile(p)


checkpoint_exists_internal = checkpoint_exists


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    return fmt.read_checkpoint_state(os.fspath(checkpoint_dir), latest_filename)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint named in `checkpoint_dir/checkpoint`, or None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and state.model_checkpoint_path and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, all_model_checkpoint_timestamps=None,
                            last_preserved_timestamp=None):
    fmt.write_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths,
                               all_model_checkpoint_timestamps, last_preserved_timestamp,
                               latest_filename)


generate_checkpoint_state_proto = fmt.generate_checkpoint_state_proto


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=SaverDef.V2,
                      meta_graph_suffix="meta"):
    """Deletes a checkpoint's files (index, data shards, meta)."""
    import glob

    for path in [fmt.index_filename(checkpoint_prefix), checkpoint_prefix + "." +
                 meta_graph_suffix] + glob.glob(checkpoint_prefix + ".data-?????-of-?????"):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def get_checkpoint_mtimes(checkpoint_prefixes):
    return [os.path.getmtime(fmt.index_filename(p)) for p in checkpoint_prefixes
            if checkpoint_exists(p)]


def load_checkpoint(ckpt_dir_or_file):
    """A reader for a checkpoint prefix or directory (`get_tensor`, shape/dtype maps)."""
    return NewCheckpointReader(ckpt_dir_or_file)


class _Reader:
    """TF's CheckpointReader: dtype maps return `tf.DType`s."""

    def __init__(self, inner):
        self._inner = inner

    def get_tensor(self, name):
        return self._inner.get_tensor(name)

    def has_tensor(self, name):
        return self._inner.has_tensor(name)

    def get_variable_to_shape_map(self):
        return self._inner.get_variable_to_shape_map()

    def get_variable_to_dtype_map(self):
        return {k: dtypes.as_dtype(v) for k, v in
                self._inner.get_variable_to_dtype_map().items()}

    def debug_string(self):
        lines = []
        for k in sorted(self._inner.keys()):
            lines.append("%s (%s) %s" % (k, self._inner.get_variable_to_dtype_map()[k],
                                         self._inner.get_variable_to_shape_map()[k]))
        return ("\n".join(lines) + "\n").encode()


def NewCheckpointReader(filepattern):  # noqa: N802 - TF's public name
    return _Reader(fmt.open_checkpoint(filepattern))


def list_variables(ckpt_dir_or_file):
    """`[(name, shape), …]` for every tensor in a checkpoint, sorted by name."""
    reader = load_checkpoint(ckpt_dir_or_file)
    shapes = reader.get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


def load_variable(ckpt_dir_or_file, name):
    """The value of one tensor in a checkpoint."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def export_meta_graph(filename=None, graph=None, collection_list=None, **kwargs):
    g = graph or graph_lib.get_default_graph()
    data = graph_def_lib.meta_graph_def_bytes(g, None, collection_list)
    if filename:
        from tensorflux.train import atomic_file

        atomic_file.atomic_write(filename, data)
    return data
