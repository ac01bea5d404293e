"""The memorandum-rank command, bootstrap and agreement measures."""

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from scipy.stats import rankdata

from ranking import Profile, bootstrap, kendall_tau, kendall_w, method_agreement, rank, rank_many
from ranking.cli import main
from ranking.tests.strategies import ranking_ballots, to_profile

TOI = (
    "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bo\n"
    "# ALTERNATIVE NAME 3: Cy\n4: 1,2,3\n3: 2,{1,3}\n2: 3\n"
)


@pytest.fixture
def toi(tmp_path):
    f = tmp_path / "e.toi"
    f.write_text(TOI)
    return str(f)


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_json_shape(toi, capsys):
    """JSON output has the documented keys and string ids."""
    doc = _json(capsys, [toi, "--method", "schulze", "--format", "json"])
    assert doc["method"] == "schulze"
    assert doc["candidates"] == {"1": "Ann", "2": "Bo", "3": "Cy"}
    assert all(isinstance(g, list) and all(isinstance(c, str) for c in g) for g in doc["order"])
    assert set(doc["scores"]) == {"1", "2", "3"} and doc["winners"] == doc["order"][0]


def test_cli_every_method_runs(toi, capsys):
    """All ranking methods run on a PrefLib file; others explain the kind mismatch."""
    for meth in ["borda", "copeland", "schulze", "ranked-pairs", "kemeny", "irv", "plackett-luce"]:
        doc = _json(capsys, [toi, "-m", meth, "--format", "json"])
        assert doc["winners"]
    assert main([toi, "-m", "points"]) == 2
    assert "needs points ballots, got rankings" in capsys.readouterr().err


def test_cli_table_and_bootstrap_are_reproducible(toi, capsys):
    """The same seed gives the same bootstrap table."""
    argv = [toi, "-m", "borda", "--bootstrap", "50", "--seed", "3", "--top-k", "2"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert main(argv) == 0
    assert capsys.readouterr().out == first
    assert "P(top 2)" in first and "winners: 2" in first


def test_cli_bad_file_exits_non_zero(tmp_path, capsys):
    """A malformed file names the line and exits with status 2."""
    f = tmp_path / "bad.soi"
    f.write_text("# NUMBER ALTERNATIVES: 2\n1: 1,3\n")
    assert main([str(f), "-m", "borda"]) == 2
    assert f"{f}:2: candidate 3 is not in 1..2" in capsys.readouterr().err


def test_cli_entry_point_in_subprocess(toi):
    """python -m ranking.cli works as a program."""
    out = subprocess.run(
        [sys.executable, "-m", "ranking.cli", toi, "-m", "irv", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout)["winners"] == ["1"]


def test_bootstrap_is_seeded_and_sensible():
    """Same seed, same intervals; unanimous ballots give certain ranks."""
    prof = Profile.from_rankings([["a", "b", "c"]] * 20 + [["b", "a", "c"]] * 5)
    one = bootstrap(prof, "borda", n=100, seed=7, top_k=1)
    two = bootstrap(prof, "borda", n=100, seed=7, top_k=1)
    assert one.to_dict() == two.to_dict()
    assert one.rank_interval["c"] == (3, 3) and one.p_top_k["c"] == 0.0
    assert 0.9 < one.p_top_k["a"] <= 1.0
    sure = bootstrap(Profile.from_rankings([["x", "y"]] * 3), "schulze", n=20, seed=0, top_k=1)
    assert sure.p_top_k == {"x": 1.0, "y": 0.0} and sure.rank_interval["y"] == (2, 2)


def _naive_w(m, ballots, counts):
    rows = []
    for b, c in zip(ballots, counts, strict=True):
        score = np.full(m, -1.0)
        for pos, g in enumerate(b):
            for x in g:
                score[x] = pos
        score[score < 0] = len(b)
        rows.extend([rankdata(score)] * c)
    r = np.array(rows)
    n = len(r)
    s = ((r.sum(axis=0) - n * (m + 1) / 2) ** 2).sum()
    ties = sum(
        ((np.unique(row, return_counts=True)[1] ** 3) - np.unique(row, return_counts=True)[1]).sum()
        for row in r
    )
    return 12 * s / (n * n * (m**3 - m) - n * ties)


@settings(max_examples=40, deadline=None)
@given(ranking_ballots())
def test_kendall_w_matches_naive_formula(data):
    """Kendall's W with the tie correction equals a per-voter rankdata computation."""
    m, ballots, counts = data
    got = kendall_w(to_profile(m, ballots, counts))
    want = _naive_w(m, ballots, counts)
    assert (np.isnan(got) and np.isnan(want)) or abs(got - want) < 1e-9


def test_kendall_tau_between_methods():
    """Identical orders agree perfectly; reversed orders disagree perfectly."""
    prof = Profile.from_rankings([["a", "b", "c", "d"]] * 3)
    rev = Profile.from_rankings([["d", "c", "b", "a"]] * 3)
    assert kendall_w(prof) == 1.0
    assert kendall_tau(rank(prof, "borda"), rank(prof, "schulze")) == 1.0
    assert kendall_tau(rank(prof, "borda"), rank(rev, "borda")) == -1.0
    table = method_agreement(rank_many(prof, ["borda", "copeland"]))
    assert table["borda"]["copeland"] == 1.0


def test_cluster_bootstrap_resamples_whole_clusters():
    """With clusters, each replicate draws respondents, never single comparisons."""
    from ranking import PairwiseProfile

    # Respondent r0 prefers x in three answers; r1 prefers y once.
    prof = PairwiseProfile.from_choices(
        [("x", "y"), ("x", "z"), ("x", "y"), ("y", "x")],
        ["x", "y", "z"],
        groups=["r0", "r0", "r0", "r1"],
    )
    a = bootstrap(prof, "bradley-terry", n=30, seed=3, clusters=prof.groups)
    b = bootstrap(prof, "bradley-terry", n=30, seed=3, clusters=prof.groups)
    assert a.rank_interval == b.rank_interval
    # Two clusters: a replicate holds r0 (x first) or only r1 (x beaten, last).
    assert set(np.unique(a.positions[:, 0]).tolist()) == {1, 3}
    one = bootstrap(prof, "bradley-terry", n=5, seed=1, clusters=["all"] * prof.n_distinct)
    assert (one.positions == one.positions[0]).all()  # one cluster: every replicate is the data
    with pytest.raises(ValueError, match="one label per distinct ballot"):
        bootstrap(prof, "bradley-terry", n=5, clusters=["a"])
