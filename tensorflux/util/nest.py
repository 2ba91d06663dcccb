"""`tensorflow.python.util.nest`: work on nested structures (lists, tuples, namedtuples, dicts)
of leaves, as TF 1.x does: dicts are walked in sorted-key order, strings are leaves.

Example:
    >>> flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    >>> pack_sequence_as({"b": [0, 0], "a": 0}, [3, 1, 2])
    {'a': 3, 'b': [1, 2]}
"""

import collections.abc


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def is_sequence(seq):
    """True for a list, tuple, namedtuple or mapping (not for strings or arrays)."""
    if isinstance(seq, (str, bytes)):
        return False
    return isinstance(seq, (list, tuple, collections.abc.Mapping))


is_nested = is_sequence


def _sorted_keys(d):
    try:
        return sorted(d)
    except TypeError:
        raise TypeError("nest only supports dicts with sortable keys.") from None


def _children(seq):
    if isinstance(seq, collections.abc.Mapping):
        return [seq[k] for k in _sorted_keys(seq)]
    return list(seq)


def flatten(structure, expand_composites=False):
    """The leaves of `structure`, depth first (a single leaf gives `[leaf]`)."""
    if not is_sequence(structure):
        return [structure]
    out = []
    for child in _children(structure):
        out.extend(flatten(child))
    return out


def _rebuild(template, children):
    if isinstance(template, collections.abc.Mapping):
        items = dict(zip(_sorted_keys(template), children))
        if isinstance(template, collections.OrderedDict):
            return type(template)((k, items[k]) for k in template)
        try:
            return type(template)((k, items[k]) for k in template)
        except TypeError:
            return {k: items[k] for k in template}
    if _is_namedtuple(template):
        return type(template)(*children)
    if isinstance(template, tuple):
        return tuple(children)
    return list(children)


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """Puts the leaves `flat_sequence` into the shape of `structure`."""
    flat_sequence = list(flat_sequence)
    if not is_sequence(structure):
        if len(flat_sequence) != 1:
            raise ValueError("Structure is a scalar but len(flat_sequence) == %d > 1"
                             % len(flat_sequence))
        return flat_sequence[0]
    n = len(flatten(structure))
    if n != len(flat_sequence):
        raise ValueError("Could not pack sequence. Structure had %d elements, but "
                         "flat_sequence had %d elements." % (n, len(flat_sequence)))
    it = iter(flat_sequence)

    def build(s):
        if not is_sequence(s):
            return next(it)
        return _rebuild(s, [build(c) for c in _children(s)])
    return build(structure)


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """Raises ValueError (or TypeError) unless the two structures nest the same way."""
    if is_sequence(nest1) != is_sequence(nest2):
        raise ValueError("The two structures don't have the same nested structure.\n\n"
                         "First structure: %s\n\nSecond structure: %s" % (nest1, nest2))
    if not is_sequence(nest1):
        return
    if check_types and type(nest1) is not type(nest2):
        raise TypeError("The two structures don't have the same sequence type. First "
                        "structure has type %s, while second structure has type %s."
                        % (type(nest1), type(nest2)))
    if isinstance(nest1, collections.abc.Mapping) and \
            _sorted_keys(nest1) != _sorted_keys(nest2):
        raise ValueError("The two dictionaries don't have the same set of keys. First "
                         "structure has keys %s, while second structure has keys %s."
                         % (list(nest1), list(nest2)))
    c1, c2 = _children(nest1), _children(nest2)
    if len(c1) != len(c2):
        raise ValueError("The two structures don't have the same number of elements.\n\n"
                         "First structure: %s\n\nSecond structure: %s" % (nest1, nest2))
    for a, b in zip(c1, c2):
        assert_same_structure(a, b, check_types)


def map_structure(func, *structure, **kwargs):
    """`func` applied leaf-wise to one or more structures of the same shape."""
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError("Only valid keyword arguments are `check_types` and "
                         "`expand_composites`, not: %s" % list(kwargs))
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*xs) for xs in zip(*flats)])


def flatten_with_joined_string_paths(structure, separator="/"):
    """`[(path, leaf)]` where path joins the keys/indices leading to each leaf."""
    out = []

    def walk(s, path):
        if not is_sequence(s):
            out.append((separator.join(str(p) for p in path), s))
            return
        keys = _sorted_keys(s) if isinstance(s, collections.abc.Mapping) else range(len(s))
        for k, child in zip(keys, _children(s)):
            walk(child, path + [k])
    walk(structure, [])
    return out


def flatten_up_to(shallow_tree, input_tree, check_types=True, expand_composites=False):
    """`input_tree` flattened only as deep as `shallow_tree` goes."""
    if not is_sequence(shallow_tree):
        return [input_tree]
    out = []
    for s, i in zip(_children(shallow_tree), _children(input_tree)):
        out.extend(flatten_up_to(s, i, check_types))
    return out
