"""`tf.data.Dataset`: a Python description of an input pipeline, built from graph tensors.

A Dataset is a node: a kind ("slices", "map", "batch"…), the datasets it reads, its own graph
tensors (components, counts, a map function's captures) and attributes (traced bodies, seeds).
Nothing runs at construction except tracing the user's functions. An iterator's initializer op
takes every tensor of the pipeline as input (`_graph_inputs`, children first), and the numpy
kernel (`backends/numpy/dataset_sources.py`) builds Python generators from their values, so a
placeholder in a dataset is fed in the initializer's run.
"""

import itertools

from tensorflux.data import structure
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import constant_op, random_ops
from tensorflux.ops.func_graph import assert_same_structure, flatten, pack_sequence_as

TS = tensor_shape.TensorShape
AUTOTUNE = -1
_INT64_MAX = 2 ** 63 - 1
_IDS = itertools.count()  # a dataset's id keys the random generators of its function


def _int64(value, name):
    """A scalar int64 tensor for a count-like argument (a Python int or a tensor)."""
    t = constant_op.convert_to_tensor(value, dtype=dtypes.int64, name=name)
    if t.shape.ndims not in (None, 0):
        raise ValueError("`%s` must be a scalar, got shape %s." % (name, t.shape))
    return t


def _static(t):
    v = constant_op.constant_value(t)
    return None if v is None else int(v)


class Dataset:
    """A pipeline of elements (nested structures of tensors), as TF 1.x's `tf.data.Dataset`.

    Example:
        >>> ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(100).batch(32).repeat()
        >>> images, labels = ds.make_one_shot_iterator().get_next()
    """

    def __init__(self, kind, types, shapes, inputs=(), tensors=(), **attrs):
        self._kind = kind
        self._types = types
        self._shapes = shapes
        self._inputs = list(inputs)
        self._tensors = list(tensors)
        self._attrs = attrs
        self._name = "%s_dataset_%d" % (kind, next(_IDS))

    # --- structure ---------------------------------------------------------------------------
    @property
    def output_types(self):
        return self._types

    @property
    def output_shapes(self):
        return self._shapes

    @property
    def output_classes(self):
        return structure.classes_of(self._types)

    def _graph_inputs(self):
        """Every graph tensor of the pipeline, in the order the kernel reads their values."""
        out = []
        for ds in self._inputs:
            out.extend(ds._graph_inputs())
        out.extend(self._tensors)
        return out

    def _derive(self, kind, types=None, shapes=None, tensors=(), **attrs):
        return Dataset(kind, self._types if types is None else types,
                       self._shapes if shapes is None else shapes, [self], tensors, **attrs)

    def __iter__(self):
        raise RuntimeError("dataset.__iter__() is only supported when eager execution is "
                           "enabled. Use make_one_shot_iterator() or "
                           "make_initializable_iterator() and get_next().")

    def __repr__(self):
        return "<DatasetV1Adapter shapes: %s, types: %s>" % (self._shapes, self._types)

    # --- sources -----------------------------------------------------------------------------
    @staticmethod
    def from_tensors(tensors):
        """A dataset of one element, `tensors`.

        Example:
            >>> tf.data.Dataset.from_tensors(([1, 2], 3.0))   # one (int32[2], float32) element
        """
        element = structure.to_element(tensors)
        types, shapes = structure.types_and_shapes(element)
        return Dataset("tensors", types, shapes, tensors=_leaf_tensors(element),
                       sparse=[structure.is_sparse_type(t) for t in flatten(types)])

    @staticmethod
    def from_tensor_slices(tensors):
        """One element per row (slice along axis 0) of every component.

        Example:
            >>> tf.data.Dataset.from_tensor_slices({"x": np.zeros([5, 2]), "y": np.arange(5)})
        """
        element = structure.to_element(tensors)
        leaves = flatten(element)
        if not leaves:
            raise ValueError("Attempted to create a dataset from an empty structure.")
        rows = None
        for t in leaves:
            if t.shape.ndims == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            n = t.shape.as_list()[0] if t.shape.ndims else None
            if n is not None and rows is not None and n != rows:
                raise ValueError("Dimensions %d and %d are not compatible" % (rows, n))
            rows = n if n is not None else rows
        types, full = structure.types_and_shapes(element)
        shapes = pack_sequence_as(element, [s[1:] if s.ndims else tensor_shape.unknown_shape()
                                            for s in flatten(full)])
        return Dataset("slices", types, shapes, tensors=_leaf_tensors(element),
                       sparse=[structure.is_sparse_type(t) for t in flatten(types)])

    @staticmethod
    def from_sparse_tensor_slices(sparse_tensor):
        """The rows of a rank-N `sparse_tensor`, each as TF 1.x gives it: an `(indices,
        values, dense_shape)` tuple of tensors describing a rank-(N-1) sparse tensor.

        Example:
            >>> tf.data.Dataset.from_sparse_tensor_slices(tf.SparseTensor([[0, 1]], [5], [2, 3]))
        """
        if not structure._is_sparse_value(sparse_tensor):
            raise TypeError("`sparse_tensor` must be a `tf.sparse.SparseTensor` object. Was %s."
                            % (sparse_tensor,))
        rows = Dataset.from_tensor_slices(sparse_tensor)
        return rows.map(lambda st: (st.indices, st.values, st.dense_shape))

    @staticmethod
    def range(*args, **kwargs):
        """Like Python's `range`: `range(stop)`, `range(start, stop[, step])`; int64 elements.

        Example:
            >>> tf.data.Dataset.range(2, 10, 3)   # 2, 5, 8
        """
        output_type = dtypes.as_dtype(kwargs.pop("output_type", dtypes.int64))
        if kwargs:
            raise TypeError("range() got unexpected keyword arguments %s" % sorted(kwargs))
        if not 1 <= len(args) <= 3:
            raise ValueError("Invalid arguments to RangeDataset: %s" % (args,))
        start, stop, step = ((0, args[0], 1) if len(args) == 1 else
                             (args[0], args[1], args[2] if len(args) == 3 else 1))
        tensors = [_int64(start, "start"), _int64(stop, "stop"), _int64(step, "step")]
        return Dataset("range", output_type, TS([]), tensors=tensors)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None):
        """The names of the files matching the glob `file_pattern` (a string or a list of them),
        found when the iterator is initialized; shuffled unless `shuffle=False` (then sorted).

        Example:
            >>> tf.data.Dataset.list_files("/data/train-*.tfrecord", shuffle=False)
        """
        pattern = constant_op.convert_to_tensor(file_pattern, dtype=dtypes.string,
                                                name="file_pattern")
        ds = Dataset("list_files", dtypes.string, TS([]), tensors=[pattern])
        if shuffle is None or shuffle:
            ds = ds.shuffle(_INT64_MAX, seed=seed)
        return ds

    @staticmethod
    def zip(datasets):
        """Elements of several datasets side by side (a nested structure of datasets).

        Example:
            >>> tf.data.Dataset.zip((ds_images, ds_labels))
        """
        children = flatten(datasets)
        for ds in children:
            if not isinstance(ds, Dataset):
                raise TypeError("The argument to `Dataset.zip()` must be a (nested) structure of "
                                "`Dataset` objects, got %r." % (ds,))
        types = pack_sequence_as(datasets, [ds._types for ds in children])
        shapes = pack_sequence_as(datasets, [ds._shapes for ds in children])
        return Dataset("zip", types, shapes, children)

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None):
        """Elements produced by calling `generator()` (once per epoch) in the session.

        Example:
            >>> tf.data.Dataset.from_generator(lambda: iter([[1], [2, 3]]), tf.int32, [None])
        """
        if not callable(generator):
            raise TypeError("`generator` must be callable.")
        types = structure.as_type_structure(output_types)
        shapes = structure.as_shape_structure(types, output_shapes)
        tensors = [structure.to_element(a) for a in (args or ())]
        return Dataset("generator", types, shapes, tensors=tensors, generator=generator)

    # --- transformations ---------------------------------------------------------------------
    def concatenate(self, dataset):
        """The elements of this dataset, then those of `dataset` (same structure and types)."""
        assert_same_structure(self._types, dataset._types)
        if flatten(self._types) != flatten(dataset._types):
            raise TypeError("Incompatible dataset types: %s vs. %s"
                            % (self._types, dataset._types))
        shapes = pack_sequence_as(self._types, [
            a.most_specific_compatible_shape(b)
            for a, b in zip(flatten(self._shapes), flatten(dataset._shapes))])
        return Dataset("concatenate", self._types, shapes, [self, dataset])

    def map(self, map_func, num_parallel_calls=None):
        """Applies `map_func` to each element (a tuple element is spread over its arguments).

        Example:
            >>> ds.map(lambda image, label: (tf.cast(image, tf.float32) / 255.0, label))
        """
        traced = structure.trace(map_func, self._types, self._shapes, "map_func")
        types, shapes = structure.types_and_shapes(_result_structure(traced))
        return self._derive("map", types, shapes, traced.captures, body=traced.body,
                            out_sparse=[structure.is_sparse_type(t) for t in flatten(types)])

    def map_with_legacy_function(self, map_func, num_parallel_calls=None):
        """`map` (TF 1.x traced its function differently here; tensorflux traces one way)."""
        return self.map(map_func, num_parallel_calls)

    def filter_with_legacy_function(self, predicate):
        """`filter` (TF 1.x traced its function differently here; tensorflux traces one way)."""
        return self.filter(predicate)

    def filter(self, predicate):
        """Keeps the elements for which `predicate` returns a true scalar bool tensor.

        Example:
            >>> tf.data.Dataset.range(10).filter(lambda x: x % 2 == 0)
        """
        traced = structure.trace(predicate, self._types, self._shapes, "predicate")
        outs = traced.body.outputs
        if len(outs) != 1 or outs[0].dtype.base_dtype != dtypes.bool or \
                outs[0].shape.ndims not in (None, 0):
            raise ValueError("`predicate` return type must be convertible to a scalar boolean "
                             "tensor. Was %s." % (traced.result,))
        return self._derive("filter", tensors=traced.captures, body=traced.body)

    def flat_map(self, map_func):
        """Maps each element to a dataset and flattens the results, in order.

        Example:
            >>> ds.flat_map(lambda x: tf.data.Dataset.from_tensors(x).repeat(2))
        """
        return self._map_to_datasets("flat_map", map_func)

    def interleave(self, map_func, cycle_length=AUTOTUNE, block_length=1,
                   num_parallel_calls=None):
        """Like `flat_map`, but cycles through `cycle_length` of the mapped datasets at once,
        taking `block_length` elements from each in turn (TF's order, deterministic).

        Example:
            >>> files.interleave(tf.data.TextLineDataset, cycle_length=4, block_length=16)
        """
        del num_parallel_calls
        extra = [_int64(cycle_length, "cycle_length"), _int64(block_length, "block_length")]
        return self._map_to_datasets("interleave", map_func, extra)

    def _map_to_datasets(self, kind, map_func, extra=()):
        """flat_map and interleave: the body returns the inner dataset's graph tensors."""
        def outputs(graph, result):
            if not isinstance(result, Dataset):
                raise TypeError("`map_func` must return a `Dataset` object. Got %s"
                                % type(result))
            return [graph.capture(t) for t in result._graph_inputs()]

        traced = structure.trace(map_func, self._types, self._shapes, "map_func", outputs)
        inner = traced.result
        return self._derive(kind, inner._types, inner._shapes, traced.captures + list(extra),
                            body=traced.body, inner=inner, windows=traced.windows)

    def batch(self, batch_size, drop_remainder=False):
        """Stacks `batch_size` consecutive elements; the last batch may be smaller.

        Example:
            >>> tf.data.Dataset.range(7).batch(3)   # [0 1 2], [3 4 5], [6]
        """
        size = _int64(batch_size, "batch_size")
        dim = _static(size) if drop_remainder else None
        shapes = pack_sequence_as(self._types, [TS([dim]).concatenate(s)
                                                for s in flatten(self._shapes)])
        return self._derive("batch", shapes=shapes, tensors=[size],
                            drop_remainder=bool(drop_remainder))

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False):
        """Like `batch`, padding each component to `padded_shapes` (None dims: the longest).

        Example:
            >>> ds.padded_batch(4, padded_shapes=[None])   # variable-length vectors
        """
        from tensorflux.data import padded_batch

        if structure.has_sparse(self._types):
            raise TypeError("Batching of padded sparse tensors is not currently supported")
        return padded_batch.padded_batch(self, batch_size, padded_shapes, padding_values,
                                         drop_remainder)

    def window(self, size, shift=None, stride=1, drop_remainder=False):
        """A dataset of windows: each element is a structure of datasets (one per component)
        holding `size` elements taken every `stride`, a window starting every `shift`
        (default `size`) elements; the last windows are shorter unless `drop_remainder`.
        Consume it with `flat_map` or `interleave`.

        Example:
            >>> tf.data.Dataset.range(7).window(3, 2).flat_map(lambda w: w.batch(3))
            ... # [0 1 2], [2 3 4], [4 5 6], [6]
        """
        if structure.has_sparse(self._types):
            raise NotImplementedError("window() of SparseTensor components is not supported "
                                      "by tensorflux.")
        types = pack_sequence_as(self._types, [
            structure.DatasetType(t, s) for t, s in zip(flatten(self._types),
                                                         flatten(self._shapes))])
        tensors = [_int64(size, "size"), _int64(size if shift is None else shift, "shift"),
                   _int64(stride, "stride")]
        return self._derive("window_dataset", types, types, tensors,
                            drop_remainder=bool(drop_remainder))

    def unbatch(self):
        """Splits each element along axis 0 into its rows (the inverse of `batch`).

        Example:
            >>> tf.data.Dataset.range(6).batch(4).unbatch()   # 0, 1, 2, 3, 4, 5
        """
        if structure.has_sparse(self._types):
            raise NotImplementedError("unbatch() of SparseTensor components is not supported "
                                      "by tensorflux.")
        shapes = []
        for s in flatten(self._shapes):
            if s.ndims == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
            shapes.append(s[1:] if s.ndims is not None else tensor_shape.unknown_shape())
        return self._derive("unbatch", shapes=pack_sequence_as(self._types, shapes))

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True):
        """Shuffles with a buffer of `buffer_size` elements (a uniform shuffle when it holds
        the whole dataset); a new order each epoch unless `reshuffle_each_iteration=False`.

        Example:
            >>> ds.shuffle(buffer_size=10000, seed=1)
        """
        size = _int64(buffer_size, "buffer_size")
        seeds = random_ops.get_seed(seed)
        return self._derive("shuffle", tensors=[size], seeds=seeds,
                            reshuffle=bool(reshuffle_each_iteration))

    def repeat(self, count=None):
        """Repeats the dataset `count` times (forever when None or -1).

        Example:
            >>> ds.repeat(3)
        """
        return self._derive("repeat", tensors=[_int64(-1 if count is None else count, "count")])

    def take(self, count):
        """At most the first `count` elements (all of them when -1).

        Example:
            >>> tf.data.Dataset.range(10).take(3)   # 0, 1, 2
        """
        return self._derive("take", tensors=[_int64(count, "count")])

    def skip(self, count):
        """All but the first `count` elements (none when -1).

        Example:
            >>> tf.data.Dataset.range(5).skip(3)   # 3, 4
        """
        return self._derive("skip", tensors=[_int64(count, "count")])

    def cache(self, filename=""):
        """Keeps the elements of the first complete pass in memory and replays them after.

        A `filename` is accepted but the cache is always in memory.
        """
        del filename
        return self._derive("cache")

    def prefetch(self, buffer_size):
        """Returns the same elements (elements are produced on demand, in the session)."""
        del buffer_size
        return self._derive("prefetch")

    def shard(self, num_shards, index):
        """Every `num_shards`-th element, starting at `index` (one worker's share).

        Example:
            >>> ds = tf.data.TFRecordDataset(files).shard(num_workers, worker_index)
        """
        return self._derive("shard", tensors=[_int64(num_shards, "num_shards"),
                                              _int64(index, "index")])

    def reduce(self, initial_state, reduce_func):
        """The final state of `state = reduce_func(state, element)` over all elements.

        Example:
            >>> tf.data.Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)   # 10
        """
        from tensorflux.data import experimental_ops

        return experimental_ops.reduce(self, initial_state, reduce_func)

    def with_options(self, options):
        """The same dataset, with `options` (a `tf.data.Options`) merged into its options.

        Example:
            >>> options = tf.data.Options()
            >>> options.experimental_deterministic = False
            >>> ds = ds.with_options(options)
        """
        from tensorflux.data.options import Options

        if not isinstance(options, Options):
            raise TypeError("`options` must be a `tf.data.Options` object, got %r." % (options,))
        return self._derive("options", options=options)

    def options(self):
        """The `tf.data.Options` of this pipeline (those of its datasets, merged)."""
        from tensorflux.data.options import Options

        merged = Options()
        for ds in self._inputs:
            merged = merged.merge(ds.options())
        if self._kind == "options":
            merged = merged.merge(self._attrs["options"])
        return merged

    def apply(self, transformation_func):
        """`transformation_func(self)`, which must return a Dataset.

        Example:
            >>> ds.apply(tf.data.experimental.shuffle_and_repeat(1000))
        """
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError("`transformation_func` must return a Dataset. Got %s." % out)
        return out

    # --- iterators ---------------------------------------------------------------------------
    def make_one_shot_iterator(self):
        """An iterator that initializes itself the first time `get_next` runs."""
        from tensorflux.data import iterator_ops

        return iterator_ops.make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        """An iterator to initialize with `sess.run(iterator.initializer, feed_dict)`."""
        from tensorflux.data import iterator_ops

        return iterator_ops.make_initializable_iterator(self, shared_name)


def _leaf_tensors(element):
    """The graph tensors of an element's leaves: three for a SparseTensor."""
    out = []
    for x in flatten(element):
        out.extend([x.indices, x.values, x.dense_shape] if structure._is_sparse_value(x)
                   else [x])
    return out


def _result_structure(traced):
    """The map function's result as tensors of its body (captured outer tensors included; a
    SparseTensor result is rebuilt from its three body outputs)."""
    flat = traced.body.outputs
    leaves = flatten(traced.result)
    if not any(structure._is_sparse_value(x) for x in leaves):
        return pack_sequence_as(traced.result, flat)
    kinds = pack_sequence_as(traced.result, [
        structure.SparseDType(x.dtype) if structure._is_sparse_value(x) else dtypes.float32
        for x in leaves])
    return pack_sequence_as(traced.result, structure.regroup(kinds, flat))
