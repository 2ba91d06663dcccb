"""Tensor: a symbolic handle to one output of an Operation."""

from tensorflux.graph import tensor_shape


class Tensor:
    """One output of an `Operation`, as TF's `tf.Tensor`: named `op_name:index`.

    Arithmetic, comparison and indexing operators are installed by `ops.math_ops` and
    `ops.array_ops`, so `a * b + c` and `x[:, 1:]` build graph ops.
    """

    # _handle_data: (element dtype, element shape) of a TensorList variant (ops/list_ops.py)
    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "_consumers", "_handle_data",
                 "__weakref__")

    # numpy should defer to our operators (ndarray + Tensor → Tensor.__radd__).
    __array_priority__ = 100

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape
        self._consumers = []
        self._handle_data = None

    @property
    def op(self):
        return self._op

    @property
    def graph(self):
        return self._op.graph

    @property
    def name(self):
        return "%s:%d" % (self._op.name, self._value_index)

    @property
    def value_index(self):
        return self._value_index

    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        return self._op.device

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        """Merges `shape` into the static shape; raises ValueError if they are incompatible."""
        self._shape = self._shape.merge_with(tensor_shape.as_shape(shape))

    @property
    def ndim(self):
        return self._shape.ndims

    def consumers(self):
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        """Runs the default (or given) session to compute this tensor."""
        from tensorflux.client import session as session_lib

        return session_lib._eval_using_default_session(self, feed_dict, self.graph, session)

    def _as_node_def_input(self):
        return self._op.name if self._value_index == 0 else self.name

    def __repr__(self):
        return "<tf.Tensor '%s' shape=%s dtype=%s>" % (self.name, self._shape, self._dtype.name)

    def __str__(self):
        return 'Tensor("%s"%s%s%s)' % (
            self.name,
            (", shape=%s" % self._shape) if self._shape.ndims is not None else "",
            (", dtype=%s" % self._dtype.name) if self._dtype else "",
            (", device=%s" % self.device) if self.device else "")

    __hash__ = object.__hash__  # identity, computed in C (hot in Session.run's plan lookup)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not "
                        "None:` instead of `if t:` to test if a tensor is defined, and use "
                        "TensorFlow ops such as tf.cond to execute subgraphs conditioned on the "
                        "value of a tensor.")

    def __iter__(self):
        shape = self._shape
        if shape.ndims is None or shape.ndims == 0 or shape[0].value is None:
            raise TypeError("'Tensor' object is not iterable.")
        for i in range(shape[0].value):
            yield self[i]

    def __len__(self):
        raise TypeError("len is not well defined for symbolic Tensors. (%s) Please call "
                        "`x.shape` rather than `len(x)` for shape information." % self.name)

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            "Cannot convert a symbolic Tensor (%s) to a numpy array. Run it in a Session "
            "(`sess.run(t)` or `t.eval()`) to get its value." % self.name)

    def __reduce__(self):
        raise TypeError("Tensors cannot be pickled; pickle their values instead.")
