"""`tf.data.Options`: the tuning knobs of a pipeline (`dataset.with_options(options)`).

They are accepted and stored, as TF 1.x code sets them; the numpy runtime produces elements
one at a time in order, so none of them changes what a pipeline yields. As in TF, an unknown
attribute is an AttributeError, unset options read as None, and `merge` combines the options
of a pipeline's datasets (a set value wins over an unset one).
"""


class _OptionsBase:
    """Options objects: a fixed set of attributes, all None until set."""

    _fields = ()
    _nested = {}

    def __init__(self):
        object.__setattr__(self, "_values", {})
        for name, cls in self._nested.items():
            self._values[name] = cls()

    def __getattr__(self, name):
        values = self.__dict__.get("_values", {})
        if name in self._fields or name in self._nested:
            return values.get(name)
        raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))

    def __setattr__(self, name, value):
        if name not in self._fields and name not in self._nested:
            raise AttributeError("Cannot set the property %s on %s." % (name,
                                                                        type(self).__name__))
        self._values[name] = value

    def __eq__(self, other):
        return type(self) is type(other) and self._values == other._values

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join(
            "%s=%r" % kv for kv in sorted(self._values.items()) if kv[1] is not None))

    def _merged(self, other):
        out = type(self)()
        for name in self._fields:
            mine, theirs = self._values.get(name), other._values.get(name)
            out._values[name] = theirs if theirs is not None else mine
        for name in self._nested:
            out._values[name] = self._values[name]._merged(other._values[name])
        return out


class OptimizationOptions(_OptionsBase):
    """`options.experimental_optimization`: which static graph optimizations to apply."""

    _fields = ("apply_default_optimizations", "autotune", "autotune_algorithm",
               "autotune_buffers", "autotune_cpu_budget", "autotune_ram_budget",
               "filter_fusion", "filter_parallelization", "filter_with_random_uniform_fusion",
               "hoist_random_uniform", "inject_prefetch", "map_and_batch_fusion",
               "map_and_filter_fusion", "map_fusion", "map_parallelization",
               "map_vectorization", "noop_elimination", "parallel_batch",
               "shuffle_and_repeat_fusion", "seq_interleave_prefetch")


class ThreadingOptions(_OptionsBase):
    """`options.experimental_threading`: thread pool sizes."""

    _fields = ("max_intra_op_parallelism", "private_threadpool_size")


class DistributeOptions(_OptionsBase):
    """`options.experimental_distribute`: how a distributed input pipeline is sharded."""

    _fields = ("auto_shard", "auto_shard_policy", "num_devices")


class StatsOptions(_OptionsBase):
    """`options.experimental_stats`: pipeline statistics (TF 1.x)."""

    _fields = ("aggregator", "counter_prefix", "latency_all_edges", "prefix")


class Options(_OptionsBase):
    """The options of a `tf.data` pipeline, set with `dataset.with_options(options)`.

    Example:
        >>> options = tf.data.Options()
        >>> options.experimental_deterministic = False
        >>> options.experimental_optimization.map_parallelization = True
        >>> ds = ds.with_options(options)
    """

    _fields = ("deterministic", "experimental_deterministic", "experimental_external_state_policy",
               "experimental_slack", "experimental_symbolic_checkpoint",
               "experimental_warm_start")
    _nested = {"experimental_optimization": OptimizationOptions,
               "experimental_threading": ThreadingOptions,
               "threading": ThreadingOptions,
               "experimental_distribute": DistributeOptions,
               "experimental_stats": StatsOptions}

    def merge(self, options):
        """These options updated with the ones set in `options`."""
        if not isinstance(options, Options):
            raise TypeError("Options.merge() expects a tf.data.Options argument, got %r."
                            % (options,))
        return self._merged(options)


__all__ = ["DistributeOptions", "OptimizationOptions", "Options", "StatsOptions",
           "ThreadingOptions"]
