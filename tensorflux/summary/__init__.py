"""`tf.summary`: summary ops, `FileWriter` (TensorBoard event files) and the Summary protos.

Example:
    >>> tf.summary.scalar("loss", loss)
    >>> merged = tf.summary.merge_all()
    >>> writer = tf.summary.FileWriter(logdir, sess.graph)
    >>> writer.add_summary(sess.run(merged), step)
"""

from tensorflux.ops.summary_ops import (
    get_summary_description,
    histogram,
    image,
    merge,
    merge_all,
    scalar,
    tensor_summary,
    text,
)
from tensorflux.summary.proto import (
    Event,
    SessionLog,
    Summary,
    SummaryDescription,
    TaggedRunMetadata,
)
from tensorflux.summary.writer import FileWriter, FileWriterCache, summary_iterator

__all__ = ["Event", "FileWriter", "FileWriterCache", "SessionLog", "Summary",
           "SummaryDescription", "TaggedRunMetadata", "get_summary_description", "histogram",
           "image", "merge", "merge_all", "scalar", "summary_iterator", "tensor_summary", "text"]
