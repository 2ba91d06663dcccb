"""Tests for the terminal progress bar, driven by a fake clock into a StringIO."""

import io

import numpy as np

from tensorflux.utils.progress import ProgressBar


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def _bar(total=600, dynamic=False, **kwargs):
    clock, out = FakeClock(), io.StringIO()
    bar = ProgressBar(total, file=out, clock=clock, dynamic=dynamic, **kwargs)
    return bar, clock, out


def test_format_example_line():
    bar, clock, _ = _bar(desc="train")
    clock.now = 8.3
    bar.n = 220
    bar.set_postfix(loss=0.41234)
    line = bar.format()
    assert line == (
        "train  37%|" + "█" * 11 + " " * 19 + "| 220/600 [00:08<00:14, 26.5 step/s, loss=0.412]"
    )


def test_partial_block_and_full_bar():
    bar, clock, _ = _bar(total=16, width=4)
    clock.now = 1.0
    bar.n = 5  # 5/16 of 4 cells = 1.25 cells: one full block and a quarter block
    assert "|█▎  |" in bar.format()
    bar.n = 16
    assert "100%|████|" in bar.format()
    assert "<00:00," in bar.format()


def test_unknown_rate_and_eta_before_first_step():
    bar, _, _ = _bar(unit="img")
    assert bar.format() == "  0%|" + " " * 30 + "| 0/600 [00:00<?, ? img/s]"


def test_slow_rate_shows_seconds_per_step_and_hours():
    bar, clock, _ = _bar(total=10)
    clock.now = 3700.0
    bar.n = 2
    assert "[1:01:40<4:06:40, 1850.0 s/step]" in bar.format()


def test_never_claims_100_percent_early():
    bar, clock, _ = _bar(total=1000)
    clock.now = 1.0
    bar.n = 999
    assert bar.format().startswith(" 99%|")


def test_unknown_total():
    bar, clock, _ = _bar(total=None, desc="eval", unit="batch")
    clock.now = 2.0
    bar.update(5, acc=0.9)
    assert bar.format() == "eval 5 batch [00:02, 2.5 batch/s, acc=0.9]"


def test_postfix_value_formats():
    bar, _, _ = _bar()
    bar.set_postfix(a=np.float32(1.23456), b=3, c="x", d=True, e=1e-7)
    assert bar.format().endswith(", a=1.23, b=3, c=x, d=True, e=1e-07]")


def test_line_mode_prints_every_ten_percent():
    bar, clock, out = _bar(total=100, desc="d")
    for step in range(100):
        clock.now = step * 0.1
        bar.update(loss=1.0 / (step + 1))
    bar.close()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert len(lines) == 11  # 1%, then 10%, 20%, ..., 100%; close adds nothing new
    assert lines[0].startswith("d   1%|")
    assert lines[1].startswith("d  10%|")
    assert lines[-1].startswith("d 100%|") and "loss=0.01]" in lines[-1]


def test_line_mode_close_prints_final_state_once():
    bar, clock, out = _bar(total=100)
    bar.update(55)
    clock.now = 1.0
    bar.update(1)
    bar.close()
    bar.close()
    lines = out.getvalue().splitlines()
    assert [line[:4] for line in lines] == [" 55%", " 56%"]


def test_non_tty_stream_selects_line_mode():
    out = io.StringIO()
    assert ProgressBar(10, file=out).dynamic is False


def test_dynamic_mode_throttles_redraws():
    bar, clock, out = _bar(total=1000, dynamic=True)
    bar.update()  # first update always draws
    for _ in range(50):
        clock.now += 0.001
        bar.update()  # within min_interval: no redraw
    assert out.getvalue().count("\r") == 1
    clock.now += 0.1
    bar.update()
    assert out.getvalue().count("\r") == 2
    assert "\n" not in out.getvalue()


def test_dynamic_mode_draws_completion_and_newline_on_close():
    bar, clock, out = _bar(total=3, dynamic=True)
    with bar:
        for _ in range(3):
            clock.now += 0.01
            bar.update()  # the last one draws although within min_interval: it completes
        assert out.getvalue().endswith("| 3/3 [00:00<00:00, 100.0 step/s]")
    assert bar.closed
    assert out.getvalue().endswith("\n") and out.getvalue().count("\n") == 1


def test_dynamic_mode_pads_a_shorter_line():
    bar, clock, out = _bar(total=10, dynamic=True)
    bar.update(loss="a-long-postfix-value")
    long_len = len(bar.format())
    clock.now = 1.0
    bar.postfix.clear()
    bar.update()
    last = out.getvalue().split("\r")[-1]
    assert len(last) == long_len and last.endswith(" ")


def test_write_keeps_bar_intact():
    bar, clock, out = _bar(total=10, dynamic=True)
    bar.update()
    bar.write("checkpoint saved")
    text = out.getvalue()
    assert "checkpoint saved\n" in text
    assert text.endswith(bar.format())


def test_default_stream_is_stderr(capsys):
    bar = ProgressBar(2, desc="x", dynamic=False)
    bar.update(2)
    bar.close()
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("x 100%|")
