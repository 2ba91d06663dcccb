"""`tensorflow.python.util.deprecation`: decorators that log TF's deprecation warnings.

Libraries written for TF 1.x mark their own functions with these decorators; the warnings go to
the "tensorflow" logger (`tf.logging`) in TF's wording, once per function unless
`warn_once=False`, and `silence()` turns them off for a block.

Example:
    >>> @deprecated("2019-01-01", "Use new_f instead.")
    ... def old_f(x):
    ...     return x
    >>> old_f(1)  # logs "... old_f (from __main__) is deprecated and will be removed ..."
    1
"""

import contextlib
import functools
import inspect
import re

from tensorflux.platform import tf_logging as logging

_PRINT_DEPRECATION_WARNINGS = True
_PRINTED_WARNING = {}


class DeprecatedNamesAlreadySet(Exception):
    """Raised when deprecated endpoint names are set twice for the same symbol."""


DeprecatedNamesAlreadySetError = DeprecatedNamesAlreadySet


def _validate(date, instructions):
    if date is not None and not re.match(r"20\d\d-[01]\d-[0123]\d", date):
        raise ValueError("Date must be YYYY-MM-DD.")
    if not instructions:
        raise ValueError("Don't deprecate things without conversion instructions!")


def _when(date):
    return "in a future version" if date is None else "after %s" % date


def _call_location():
    """`file:line` of the user code that called the deprecated function."""
    frame = inspect.currentframe().f_back.f_back
    return "%s:%d" % (frame.f_code.co_filename, frame.f_lineno) if frame else "<unknown>"


def _qualified_name(func):
    return getattr(func, "__qualname__", getattr(func, "__name__", repr(func)))


def _add_notice(doc, date, instructions, headline):
    lines = [headline + " It will be removed %s." % _when(date)]
    if instructions:
        lines += ["Instructions for updating:", instructions]
    notice = "\n".join(lines)
    if not doc:
        return "DEPRECATED FUNCTION\n\n" + notice
    first, _, rest = doc.partition("\n")
    return "%s (deprecated)\n\nWarning: %s\n%s" % (first, notice, rest)


def _warn_once(key, warn_once, msg, *args):
    if not _PRINT_DEPRECATION_WARNINGS:
        return
    if key in _PRINTED_WARNING:
        return
    if warn_once:
        _PRINTED_WARNING[key] = True
    logging.warning(msg, *args)


def deprecated(date, instructions, warn_once=True):
    """Marks a function, method or class (its constructor) as deprecated.

    Each call logs `From <file:line>: <name> (from <module>) is deprecated and will be removed
    <when>.` followed by the instructions (only the first call when `warn_once`).
    """
    _validate(date, instructions)

    def decorate(func_or_class):
        cls = func_or_class if isinstance(func_or_class, type) else None
        func = cls.__init__ if cls is not None else func_or_class
        if not callable(func):
            raise ValueError("deprecated can only decorate a callable")

        @functools.wraps(func)
        def new_func(*args, **kwargs):
            _warn_once(func, warn_once,
                       "From %s: %s (from %s) is deprecated and will be removed %s.\n"
                       "Instructions for updating:\n%s", _call_location(),
                       _qualified_name(func), func_or_class.__module__, _when(date),
                       instructions)
            return func(*args, **kwargs)

        new_func.__doc__ = _add_notice(func.__doc__, date, instructions,
                                       "THIS FUNCTION IS DEPRECATED.")
        if cls is None:
            return new_func
        cls.__init__ = new_func
        cls.__doc__ = _add_notice(cls.__doc__, date, instructions, "THIS CLASS IS DEPRECATED.")
        return cls

    return decorate


def deprecated_args(date, instructions, *deprecated_arg_names_or_tuples, **kwargs):
    """Marks some arguments of a function as deprecated.

    An argument is given as its name or as `(name, ok_value)`: passing `ok_value` does not warn.
    Raises ValueError if a named argument is not in the function's signature.
    """
    _validate(date, instructions)
    if not deprecated_arg_names_or_tuples:
        raise ValueError("Specify which argument is deprecated.")
    if kwargs and list(kwargs) != ["warn_once"]:
        kwargs.pop("warn_once", None)
        raise ValueError("Illegal argument to deprecated_args: %s" % kwargs)
    warn_once = kwargs.get("warn_once", True)
    specs = {}
    for item in deprecated_arg_names_or_tuples:
        if isinstance(item, tuple):
            specs[item[0]] = (True, item[1])
        else:
            specs[item] = (False, None)

    def decorate(func):
        sig = inspect.signature(func)
        params = sig.parameters
        missing = [n for n in specs if n not in params]
        if missing:
            raise ValueError("The following deprecated arguments are not present in the function "
                             "signature: %s. Found next arguments: %s." % (missing, list(params)))

        @functools.wraps(func)
        def new_func(*args, **kw):
            if _PRINT_DEPRECATION_WARNINGS:
                bound = sig.bind(*args, **kw)
                for name, (has_ok, ok_value) in specs.items():
                    if name not in bound.arguments:
                        continue
                    value = bound.arguments[name]
                    kind = params[name].kind
                    if kind is inspect.Parameter.VAR_POSITIONAL and not value:
                        continue
                    if kind is inspect.Parameter.VAR_KEYWORD and not value:
                        continue
                    if has_ok and _same(value, ok_value):
                        continue
                    _warn_once((func, name), warn_once,
                               "From %s: calling %s (from %s) with %s is deprecated and will be "
                               "removed %s.\nInstructions for updating:\n%s", _call_location(),
                               _qualified_name(func), func.__module__, name, _when(date),
                               instructions)
            return func(*args, **kw)

        new_func.__doc__ = _add_notice(
            func.__doc__, date, instructions,
            "SOME ARGUMENTS ARE DEPRECATED: `(%s)`." % ", ".join(sorted(specs)))
        return new_func

    return decorate


def deprecated_arg_values(date, instructions, warn_once=True, **deprecated_kwargs):
    """Marks some values of some arguments as deprecated (`f(x, y=bad)` warns)."""
    _validate(date, instructions)
    if not deprecated_kwargs:
        raise ValueError("Specify which argument values are deprecated.")

    def decorate(func):
        sig = inspect.signature(func)

        @functools.wraps(func)
        def new_func(*args, **kw):
            if _PRINT_DEPRECATION_WARNINGS:
                bound = sig.bind(*args, **kw)
                bound.apply_defaults()
                for name, bad in deprecated_kwargs.items():
                    if name in bound.arguments and _same(bound.arguments[name], bad):
                        _warn_once((func, name), warn_once,
                                   "From %s: calling %s (from %s) with %s=%s is deprecated and "
                                   "will be removed %s.\nInstructions for updating:\n%s",
                                   _call_location(), _qualified_name(func), func.__module__,
                                   name, bad, _when(date), instructions)
            return func(*args, **kw)

        new_func.__doc__ = _add_notice(
            func.__doc__, date, instructions, "SOME ARGUMENT VALUES ARE DEPRECATED: `(%s)`."
            % ", ".join("%s=%r" % kv for kv in sorted(deprecated_kwargs.items())))
        return new_func

    return decorate


def _same(a, b):
    if a is b:
        return True
    if a is None or b is None:
        return False
    try:
        eq = a == b
    except Exception:  # noqa: BLE001 - arrays and odd types compare as "different"
        return False
    return eq if isinstance(eq, bool) else False


def deprecated_alias(deprecated_name, name, func_or_class, warn_once=True):
    """A copy of `func_or_class` that warns `The name <deprecated_name> is deprecated`."""
    msg = "From %s: The name %s is deprecated. Please use %s instead.\n"
    if isinstance(func_or_class, type):
        base = func_or_class

        class _NewClass(base):
            __doc__ = base.__doc__

            def __init__(self, *args, **kwargs):
                _warn_once(_NewClass, warn_once, msg, _call_location(), deprecated_name, name)
                super().__init__(*args, **kwargs)

        _NewClass.__name__ = base.__name__
        _NewClass.__qualname__ = base.__qualname__
        return _NewClass

    @functools.wraps(func_or_class)
    def new_func(*args, **kwargs):
        _warn_once(new_func, warn_once, msg, _call_location(), deprecated_name, name)
        return func_or_class(*args, **kwargs)

    return new_func


def deprecated_endpoints(*args):
    """Records deprecated API names on a symbol (`_tf_deprecated_api_names`); no warning."""

    def decorate(func):
        if "_tf_deprecated_api_names" in func.__dict__:
            raise DeprecatedNamesAlreadySet(
                "Cannot set deprecated names for %s to %s. Deprecated names are already set to "
                "%s." % (func.__name__, str(args), str(func._tf_deprecated_api_names)))
        func._tf_deprecated_api_names = args
        return func

    return decorate


def deprecated_argument_lookup(new_name, new_value, old_name, old_value):
    """The value of a renamed argument: the new one, else the old one; both set is an error."""
    if old_value is not None:
        if new_value is not None:
            raise ValueError("Cannot specify both '%s' and '%s'" % (old_name, new_name))
        return old_value
    return new_value


def rewrite_argument_docstring(old_doc, old_argument, new_argument):
    return old_doc.replace("`%s`" % old_argument, "`%s`" % new_argument).replace(
        "%s:" % old_argument, "%s:" % new_argument)


@contextlib.contextmanager
def silence():
    """Turns deprecation warnings off inside the block."""
    global _PRINT_DEPRECATION_WARNINGS
    saved = _PRINT_DEPRECATION_WARNINGS
    _PRINT_DEPRECATION_WARNINGS = False
    try:
        yield
    finally:
        _PRINT_DEPRECATION_WARNINGS = saved
