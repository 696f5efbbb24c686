"""The command line's failure paths: exit codes 0/1/2/3, one line, no traceback, files that
follow the umask, nothing left behind, a quiet broken pipe, honest PK limits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mechlib.cli import main
from mechlib.models import pk


@pytest.fixture
def umask():
    def set_to(mask: int) -> None:
        os.umask(mask)
    old = os.umask(0o022)
    yield set_to
    os.umask(old)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_written_file_follows_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    out = tmp_path / "na.svg"
    assert main(["diagram", "sodium_channel", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == mode


@pytest.mark.parametrize("target", ["{tmp}", "{tmp}/sub.svg", "/proc/mechlib-test.svg"])
def test_out_to_a_folder_or_an_unwritable_place_is_a_one_line_exit_3(tmp_path, capsys, target):
    (tmp_path / "sub.svg").mkdir()
    before = sorted(tmp_path.rglob("*"))
    assert main(["diagram", "combined", "--out", target.format(tmp=tmp_path)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error: input/output failure") and len(err.strip().splitlines()) == 1
    assert sorted(tmp_path.rglob("*")) == before  # nothing half-written


def test_a_closed_pipe_ends_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "mechlib", "pk", "lamotrigine", "--dose-mg",
                             "200", "--days", "365", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()  # like `| head -c 10`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_help_documents_the_exit_codes_data_dir_and_pk_limits(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    top = capsys.readouterr().out
    assert "1 invalid data" in top and "3 input/output failure" in top and "--data-dir" in top
    with pytest.raises(SystemExit):
        main(["pk", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "0.5-168 h" in text and "up to 365" in text and "doses + time points" in text


@pytest.mark.parametrize("argv, words", [
    (["pk", "lamotrigine", "--dose-mg", "1e308"], ["dose_mg", "100000"]),
    (["pk", "lamotrigine", "--dose-mg", "100", "--every-h", "0.1"], ["every_h", "0.5 to 168"]),
    (["pk", "lamotrigine", "--dose-mg", "100", "--days", "400"], ["days", "365"]),
    (["--data-dir", "/nonexistent/folder", "check-data"], ["--data-dir", "not a folder"]),
])
def test_bad_arguments_exit_2_in_one_line(capsys, argv, words):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    for w in words:
        assert w in err


def test_a_year_of_hourly_doses_is_computed_without_a_doses_by_times_matrix():
    """8760 doses x 52 699 time points would need 3.4 GiB as a matrix; the recursion needs
    a few arrays of the grid's length (speed and memory are measured by make bench)."""
    prof = pk.oral_profile(pk.regular_schedule(10, every_h=1, days=365))
    assert len(prof.doses) == 8760 and len(prof.t_h) == (8759 + 24) * 6 + 1  # 10-min grid
    # steady state of a one-compartment model: the average is F * dose / (CL * tau)
    late = (prof.t_h > 300 * 24) & (prof.t_h <= 8759)  # before the tail after the last dose
    assert prof.conc_mg_per_L[late].mean() == pytest.approx(prof.css_avg, rel=1e-3)


def test_the_recursion_matches_the_direct_sum_of_bateman_curves():
    import numpy as np

    from mechlib.models.pk import _OralModel

    model = _OralModel.for_drug("lamotrigine", None, 70)
    times = np.array([0.0, 5.0, 24.0, 30.0, 72.0])
    doses = np.array([25.0, 50.0, 25.0, 100.0, 50.0])
    t = np.linspace(0, 96, 577)
    direct = model.disp.first_order(t[:, None] - times[None, :], model.ka) @ (model.f * doses)
    assert np.allclose(model.conc(times, doses, t), direct, rtol=1e-12, atol=1e-12)


def test_help_text_is_the_documented_one():
    guide = (Path(__file__).resolve().parents[1] / "docs" / "instructor-guide.md").read_text()
    assert "exits with 0 on success, 1 when the data are invalid, 2 for a bad argument" in guide
    assert "MECHLIB_DATA_DIR" in guide and "--data-dir" in guide
