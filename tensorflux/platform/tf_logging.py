"""`tf.logging`: TF1's logging module on top of Python's `logging` (logger "tensorflow")."""

import logging as _logging
import sys

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARN
WARNING = _logging.WARNING
ERROR = _logging.ERROR
FATAL = _logging.FATAL

_logger = None


class _StderrHandler(_logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time of the record (as absl's handler does),
    so a redirected or captured stderr sees the log even if the logger was set up earlier."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def get_logger():
    """The "tensorflow" logger, with a stderr handler in TF's format on first use."""
    global _logger
    if _logger is None:
        logger = _logging.getLogger("tensorflow")
        if not logger.handlers:
            handler = _StderrHandler()
            handler.setFormatter(_logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
            logger.addHandler(handler)
            logger.propagate = False
        if logger.level == _logging.NOTSET:
            logger.setLevel(WARN)
        _logger = logger
    return _logger


def log(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    get_logger().info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    get_logger().warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs):
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    get_logger().fatal(msg, *args, **kwargs)


_counts = {}


def log_every_n(level, msg, n, *args):
    key = (msg, n)
    _counts[key] = _counts.get(key, 0) + 1
    if (_counts[key] - 1) % n == 0:
        log(level, msg, *args)


def log_first_n(level, msg, n, *args):
    key = ("first", msg)
    _counts[key] = _counts.get(key, 0) + 1
    if _counts[key] <= n:
        log(level, msg, *args)


def log_if(level, msg, condition, *args):
    if condition:
        log(level, msg, *args)


def set_verbosity(v):
    get_logger().setLevel(v)


def get_verbosity():
    return get_logger().getEffectiveLevel()


def flush():
    for h in get_logger().handlers:
        h.flush()


def vlog(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


TaskLevelStatusMessage = info
