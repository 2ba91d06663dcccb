"""`tf.estimator.VocabInfo`: how to warm-start an embedding whose vocabulary changed.

Only the record (with TF's validation) is provided: `WarmStartSettings` does not yet remap
vocabularies, and says so when given one.
"""

import collections


class VocabInfo(collections.namedtuple("VocabInfo", [
        "new_vocab", "new_vocab_size", "num_oov_buckets", "old_vocab", "old_vocab_size",
        "backup_initializer", "axis"])):
    """The new and old vocabulary files of a warm-started variable.

    Example:
        >>> info = tf.estimator.VocabInfo(new_vocab="new_vocab.txt", new_vocab_size=100,
        ...                               num_oov_buckets=1, old_vocab="old_vocab.txt")
    """

    def __new__(cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab, old_vocab_size=-1,
                backup_initializer=None, axis=0):
        if axis not in (0, 1):
            raise ValueError("The only supported values for the axis argument are 0 and 1.  "
                             "Provided axis: {}".format(axis))
        return super().__new__(cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab,
                               old_vocab_size, backup_initializer, axis)
