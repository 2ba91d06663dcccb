"""`tf.nest`: flatten and rebuild nested lists, tuples, namedtuples and dicts (util/nest.py).

    >>> tf.nest.flatten({"b": [1, 2], "a": 3})                  # [3, 1, 2]
    >>> tf.nest.map_structure(lambda x: x * 2, (1, [2]))        # (2, [4])
"""

from tensorflux.util.nest import (
    assert_same_structure,
    flatten,
    is_nested,
    map_structure,
    pack_sequence_as,
)

__all__ = [
    "assert_same_structure", "flatten", "is_nested", "map_structure", "pack_sequence_as",
]
