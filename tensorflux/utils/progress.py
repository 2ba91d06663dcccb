"""A dependency-free terminal progress bar with rate, ETA and a postfix such as the loss."""

import numbers
import sys
import time

# Eighths of a cell, for a smooth bar edge; index 0 is an empty cell.
_BLOCKS = " ▏▎▍▌▋▊▉█"


class ProgressBar:
    """A progress line for loops of known (or unknown) length.

    It reads `desc  37%|███████████        | 220/600 [00:08<00:14, 26.5 step/s, loss=0.412]`.
    On a terminal the line is redrawn in place (`\\r`) at most every
    `min_interval` seconds. On anything else (a CI log, a file) a full line is
    printed only each time another 10% is done, so logs stay short; with an
    unknown `total`, every `log_interval` seconds instead.

    Args:
        total: Number of steps expected, or None if unknown (no bar, no ETA).
        desc: Label printed before the bar.
        unit: Name of one step, used in the rate (`26.5 step/s`).
        file: Stream to write to; None means `sys.stderr` at construction time.
        width: Width of the bar in characters.
        min_interval: Minimum seconds between redraws on a terminal.
        log_interval: Seconds between lines when not a terminal and `total` is None.
        dynamic: Force in-place redraws (True) or line-per-10% output (False);
            None decides by `file.isatty()`.
        clock: Function returning seconds; replaceable for tests.

    Example:
        >>> with ProgressBar(600, desc="train") as bar:  # doctest: +SKIP
        ...     for step in range(600):
        ...         loss = train_step()
        ...         bar.update(loss=loss)
    """

    def __init__(
        self,
        total,
        desc="",
        unit="step",
        file=None,
        width=30,
        *,
        min_interval=0.1,
        log_interval=10.0,
        dynamic=None,
        clock=time.monotonic,
    ):
        self.total = total
        self.desc = desc
        self.unit = unit
        self.file = sys.stderr if file is None else file
        self.width = width
        self.min_interval = min_interval
        self.log_interval = log_interval
        self.dynamic = _is_tty(self.file) if dynamic is None else dynamic
        self.n = 0
        self.postfix = {}
        self._clock = clock
        self._start = clock()
        self._last_draw = None  # Clock time of the last output.
        self._last_len = 0  # Length of the line now on screen (dynamic mode).
        self._logged_decile = -1  # Last 10% step that got a line (line mode).
        self._logged_n = None  # `n` of the last line printed (line mode).
        self.closed = False

    def update(self, n=1, **postfix):
        """Records `n` more steps and new postfix values (e.g. `loss=0.41`), redrawing if due."""
        self.n += n
        self.postfix.update(postfix)
        if not self.closed:
            self._refresh()

    def set_postfix(self, **postfix):
        """Sets postfix values shown from the next redraw on, without counting a step."""
        self.postfix.update(postfix)

    def write(self, message):
        """Prints `message` on its own line without garbling the bar."""
        if self.dynamic and not self.closed and self._last_len:
            self.file.write("\r" + " " * self._last_len + "\r")
            self.file.write(message + "\n")
            self._draw(self._clock())
        else:
            self.file.write(message + "\n")
            self.file.flush()

    def close(self):
        """Prints the final state (and ends the line on a terminal); safe to call twice."""
        if self.closed:
            return
        self.closed = True
        now = self._clock()
        if self.dynamic:
            self._draw(now)
            self.file.write("\n")
            self.file.flush()
        elif self._logged_n != self.n:
            self._print_line(now)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()

    def format(self, now=None):
        """Returns the progress line for the current state (at clock time `now`)."""
        now = self._clock() if now is None else now
        elapsed = max(now - self._start, 0.0)
        rate = self.n / elapsed if self.n > 0 and elapsed > 0 else None
        prefix = f"{self.desc} " if self.desc else ""
        stats = [_format_rate(rate, self.unit)]
        stats += [f"{key}={_format_value(value)}" for key, value in self.postfix.items()]
        if self.total is None:
            times = _format_time(elapsed)
            return f"{prefix}{self.n} {self.unit} [{times}, {', '.join(stats)}]"
        frac = min(self.n / self.total, 1.0) if self.total > 0 else 1.0
        percent = round(100 * frac)
        if self.n < self.total:
            percent = min(percent, 99)  # Never claim 100% before the end.
        if rate is None:
            eta = "?"
        else:
            eta = _format_time(max(self.total - self.n, 0) / rate)
        times = f"{_format_time(elapsed)}<{eta}"
        return (
            f"{prefix}{percent:3d}%|{self._bar(frac)}| {self.n}/{self.total} "
            f"[{times}, {', '.join(stats)}]"
        )

    def _bar(self, frac):
        cells = frac * self.width
        full = min(int(cells), self.width)
        bar = _BLOCKS[-1] * full
        if full < self.width:
            bar += _BLOCKS[int((cells - full) * 8)]
        return bar.ljust(self.width)

    def _refresh(self):
        now = self._clock()
        if self.dynamic:
            done = self.total is not None and self.n >= self.total
            if self._last_draw is None or done or now - self._last_draw >= self.min_interval:
                self._draw(now)
        elif self.total is None:
            if self._last_draw is None or now - self._last_draw >= self.log_interval:
                self._print_line(now)
        else:
            decile = min(10 * self.n // self.total, 10) if self.total > 0 else 10
            if decile > self._logged_decile:
                self._logged_decile = decile
                self._print_line(now)

    def _draw(self, now):
        line = self.format(now)
        padding = " " * max(self._last_len - len(line), 0)
        self.file.write("\r" + line + padding)
        self.file.flush()
        self._last_len = len(line)
        self._last_draw = now

    def _print_line(self, now):
        self.file.write(self.format(now) + "\n")
        self.file.flush()
        self._last_draw = now
        self._logged_n = self.n


def _is_tty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # No isatty, or a closed stream.
        return False


def _format_time(seconds):
    """`mm:ss`, or `h:mm:ss` from one hour on."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def _format_rate(rate, unit):
    """`26.5 step/s`, or `3.2 s/step` when slower than one step a second."""
    if rate is None:
        return f"? {unit}/s"
    if rate < 1:
        return f"{1 / rate:.1f} s/{unit}"
    return f"{rate:.1f} {unit}/s"


def _format_value(value):
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return f"{float(value):.3g}"
    return str(value)
