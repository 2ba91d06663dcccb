"""TensorShape and Dimension: static shapes with unknown dimensions, as in TF 1.x."""


class Dimension:
    """One dimension of a TensorShape; `value` is an int or None (unknown)."""

    __slots__ = ("_value",)

    def __init__(self, value):
        if isinstance(value, Dimension):
            value = value.value
        if value is not None:
            try:
                value = int(value.__index__())
            except AttributeError:
                if isinstance(value, float) and value == int(value):
                    value = int(value)
                else:
                    raise TypeError("Dimension value must be integer or None, got %r"
                                    % (value,)) from None
            if value < 0:
                raise ValueError("Dimension %d must be >= 0" % value)
        self._value = value

    @property
    def value(self):
        return self._value

    def __repr__(self):
        return "Dimension(%s)" % repr(self._value)

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __int__(self):
        return self._value

    def __index__(self):
        return self._value

    def __eq__(self, other):
        other = _dim_value(other)
        if self._value is None or other is None:
            return None
        return self._value == other

    def __ne__(self, other):
        other = _dim_value(other)
        if self._value is None or other is None:
            return None
        return self._value != other

    def __hash__(self):
        return hash(self._value)

    def is_compatible_with(self, other):
        other = _dim_value(other)
        return self._value is None or other is None or self._value == other

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError("Dimensions %s and %s are not compatible" % (self, Dimension(other)))

    def merge_with(self, other):
        other = _dim_value(other)
        self.assert_is_compatible_with(other)
        return Dimension(self._value if self._value is not None else other)

    def _op(self, other, fn):
        other = _dim_value(other)
        if self._value is None or other is None:
            return Dimension(None)
        return Dimension(fn(self._value, other))

    def __add__(self, other):
        return self._op(other, lambda a, b: a + b)

    __radd__ = __add__

    def __sub__(self, other):
        return self._op(other, lambda a, b: a - b)

    def __rsub__(self, other):
        return self._op(other, lambda a, b: b - a)

    def __mul__(self, other):
        return self._op(other, lambda a, b: a * b)

    __rmul__ = __mul__

    def __floordiv__(self, other):
        return self._op(other, lambda a, b: a // b)

    def __rfloordiv__(self, other):
        return self._op(other, lambda a, b: b // a)

    def __mod__(self, other):
        return self._op(other, lambda a, b: a % b)

    def __lt__(self, other):
        other = _dim_value(other)
        return None if self._value is None or other is None else self._value < other

    def __le__(self, other):
        other = _dim_value(other)
        return None if self._value is None or other is None else self._value <= other

    def __gt__(self, other):
        other = _dim_value(other)
        return None if self._value is None or other is None else self._value > other

    def __ge__(self, other):
        other = _dim_value(other)
        return None if self._value is None or other is None else self._value >= other

    def __reduce__(self):
        return Dimension, (self._value,)


def _dim_value(d):
    if isinstance(d, Dimension):
        return d.value
    return None if d is None else int(d)


def dimension_value(d):
    """TF's `tf.compat.dimension_value`: the int (or None) of a Dimension or int."""
    return d.value if isinstance(d, Dimension) else d


def dimension_at_index(shape, index):
    return as_shape(shape).dims[index] if as_shape(shape).dims is not None else Dimension(None)


class TensorShape:
    """The static shape of a tensor: unknown rank (`dims is None`) or a list of Dimensions.

    Example:
        >>> TensorShape([None, 28, 28, 1]).as_list()
        [None, 28, 28, 1]
    """

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        else:
            try:
                it = iter(dims)
            except TypeError:
                it = [dims]
            self._dims = tuple(d if isinstance(d, Dimension) else Dimension(d) for d in it)

    @property
    def dims(self):
        return None if self._dims is None else list(self._dims)

    @property
    def ndims(self):
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self):
        return self._dims is not None

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            if isinstance(key, slice):
                return unknown_shape()
            return Dimension(None)
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def as_list(self):
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return [d.value for d in self._dims]

    def as_tuple(self):
        return tuple(self.as_list())

    def is_fully_defined(self):
        return self._dims is not None and all(d.value is not None for d in self._dims)

    def assert_is_fully_defined(self):
        if not self.is_fully_defined():
            raise ValueError("Shape %s is not fully defined" % self)

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d.value
        return n

    def is_compatible_with(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a.is_compatible_with(b) for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError("Shapes %s and %s are incompatible" % (self, as_shape(other)))

    def merge_with(self, other):
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if len(self._dims) != len(other._dims) or not self.is_compatible_with(other):
            raise ValueError("Shapes %s and %s are not compatible" % (self, other))
        return TensorShape([a.merge_with(b) for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return unknown_shape()
        return TensorShape(self._dims + other._dims)

    def assert_has_rank(self, rank):
        """Raises ValueError unless the shape has rank `rank` (or an unknown rank)."""
        if self._dims is not None and len(self._dims) != rank:
            raise ValueError("Shape %s must have rank %d" % (self, rank))

    def assert_same_rank(self, other):
        """Raises ValueError when both ranks are known and differ."""
        other = as_shape(other)
        if self._dims is not None and other._dims is not None and \
                len(self._dims) != len(other._dims):
            raise ValueError("Shapes %s and %s must have the same rank" % (self, other))

    def with_rank(self, rank):
        if self._dims is None:
            return unknown_shape(rank)
        if len(self._dims) != rank:
            raise ValueError("Shape %s must have rank %d" % (self, rank))
        return self

    def with_rank_at_least(self, rank):
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError("Shape %s must have rank at least %d" % (self, rank))
        return self

    def with_rank_at_most(self, rank):
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError("Shape %s must have rank at most %d" % (self, rank))
        return self

    def most_specific_compatible_shape(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return unknown_shape()
        return TensorShape([a if a.value == b.value else None
                            for a, b in zip(self._dims, other._dims)])

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims if self._dims is None or other._dims is None else (
            [d.value for d in self._dims] == [d.value for d in other._dims])

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    def __hash__(self):
        return hash(None if self._dims is None else tuple(d.value for d in self._dims))

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return "TensorShape(%r)" % [d.value for d in self._dims]

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return "(%s,)" % self._dims[0]
        return "(%s)" % ", ".join(str(d) for d in self._dims)

    def __add__(self, other):
        return self.concatenate(other)

    def __radd__(self, other):
        return as_shape(other).concatenate(self)

    def __reduce__(self):
        return TensorShape, (self.dims,)

    def as_proto(self):
        return self


def as_shape(shape):
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(rank=None, ndims=None):
    rank = ndims if rank is None else rank
    return TensorShape(None) if rank is None else TensorShape([None] * rank)


def scalar():
    return TensorShape([])


def vector(length):
    return TensorShape([length])


def matrix(rows, cols):
    return TensorShape([rows, cols])
