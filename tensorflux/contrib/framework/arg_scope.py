"""`arg_scope` / `add_arg_scope`: default keyword arguments for decorated layer functions.

Example:
    >>> with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
    ...                     weights_regularizer=slim.l2_regularizer(0.0005)):
    ...     net = slim.conv2d(images, 64, [11, 11], 4, padding="VALID", scope="conv1")
"""

import contextlib
import functools

_ARGSTACK = [{}]
_DECORATED_OPS = {}


def _get_arg_stack():
    if not _ARGSTACK:
        _ARGSTACK.append({})
    return _ARGSTACK


def current_arg_scope():
    """The innermost scope: a dict from function key to its default keyword arguments."""
    return _get_arg_stack()[-1]


def arg_scope_func_key(op):
    return getattr(op, "_key_op", str(op))


def _kwarg_names(func):
    n_defaults = len(func.__defaults__) if func.__defaults__ else 0
    return func.__code__.co_varnames[func.__code__.co_argcount - n_defaults:
                                     func.__code__.co_argcount]


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Sets default `kwargs` for the functions in `list_ops_or_scope` (or re-enters a scope
    dict yielded by an earlier `arg_scope`)."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling adictionary, kwargs "
                             "must be empty.")
        current_scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope (i.e. "
                            "dict)")
        current_scope = current_arg_scope().copy()
        for op in list_ops_or_scope:
            key = arg_scope_func_key(op)
            if not has_arg_scope(op):
                raise ValueError("%s is not decorated with @add_arg_scope"
                                 % ((op.__module__, op.__name__),))
            merged = dict(current_scope.get(key, {}))
            merged.update(kwargs)
            current_scope[key] = merged
    _get_arg_stack().append(current_scope)
    try:
        yield current_scope
    finally:
        _get_arg_stack().pop()


def add_arg_scope(func):
    """Decorates `func` so that an enclosing `arg_scope` can supply its keyword arguments."""
    key = arg_scope_func_key(func)

    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        scope = current_arg_scope()
        if key in scope:
            current_args = dict(scope[key])
            current_args.update(kwargs)
            kwargs = current_args
        return func(*args, **kwargs)

    _DECORATED_OPS[key] = _kwarg_names(func)
    func_with_args._key_op = key
    return func_with_args


def has_arg_scope(func):
    return arg_scope_func_key(func) in _DECORATED_OPS


def arg_scoped_arguments(func):
    assert has_arg_scope(func)
    return _DECORATED_OPS[arg_scope_func_key(func)]
