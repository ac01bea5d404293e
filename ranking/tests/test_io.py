"""File formats: PrefLib, CSV and JSON readers and their error messages."""

import json

import numpy as np
import pytest

from ranking import (
    ApprovalProfile,
    PairwiseProfile,
    ParseError,
    PointsProfile,
    Profile,
    RatingProfile,
    load,
    rank,
    read_csv,
    read_json,
    read_preflib,
)

HEAD = (
    "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bo\n"
    "# ALTERNATIVE NAME 3: Cy\n"
)


def test_preflib_toi_with_ties_and_truncation():
    """Counts, tie-groups, truncation and names are read as written."""
    prof = read_preflib(HEAD + "# NUMBER VOTERS: 5\n3: 1,{2,3}\n2: 3\n", "toi")
    assert isinstance(prof, Profile)
    assert prof.n_voters == 5 and prof.candidates == ("1", "2", "3")
    assert prof.names["2"] == "Bo"
    assert prof.ballots() == [([["1"], ["2", "3"]], 3, 1.0, None), ([["3"]], 2, 1.0, None)]


def test_preflib_cat_is_a_rating_profile():
    """Categories become a scale whose first category is the best level."""
    text = (
        HEAD + "# NUMBER CATEGORIES: 2\n# CATEGORY NAME 1: Yes\n# CATEGORY NAME 2: No\n"
        "2: {1,2},3\n1: {},{1,2,3}\n"
    )
    prof = read_preflib(text, "cat")
    assert isinstance(prof, RatingProfile) and prof.scale == ("No", "Yes")
    assert rank(prof, "approval").scores == {"1": 2.0, "2": 2.0, "3": 0.0}


@pytest.mark.parametrize(
    "ext, body, problem",
    [
        ("soi", "1: 1,4\n", ":5: candidate 4 is not in 1..3"),
        ("soi", "1: 1,1\n", ":5: candidate 1 appears twice"),
        ("soi", "1: {1,2}\n", ":5: tie in a .soi file"),
        ("soc", "1: 1,2\n", ":5: ranks 2 of 3 candidates"),
        ("toi", "1 1,2\n", ":5: expected 'count: ballot'"),
        ("toi", "x: 1,2\n", ":5: count 'x' is not"),
        ("toi", "1: {1,2\n", ":5: '{' is never closed"),
        ("toi", "1: 1,,2\n", ":5: '' is not a candidate number"),
        ("toi", "1: 1,2,\n", ":5: ballot ends with ','"),
        ("toi", "1: a\n", ":5: 'a' is not a candidate number"),
    ],
)
def test_preflib_errors_name_the_line(ext, body, problem):
    """Malformed lines raise ParseError naming the line and the problem."""
    with pytest.raises(ParseError) as err:
        read_preflib(HEAD + body, ext, source="f." + ext)
    assert problem in str(err.value)
    assert str(err.value).startswith("f." + ext + ":")


def test_preflib_header_totals_are_checked():
    """A voter count that disagrees with the ballots is an error on the header line."""
    with pytest.raises(ParseError, match=r":5: NUMBER VOTERS is 9 but the counts add up to 1"):
        read_preflib(HEAD + "# NUMBER VOTERS: 9\n1: 1,2\n", "soi", source="f")


def test_csv_rankings_with_weights_and_groups():
    """'a>b=c' rankings with count, weight and group columns."""
    text = (
        "# candidate a: Alpha\n# candidate b: Beta\n# candidate c: Gamma\n"
        "ranking,count,weight,group\na>b=c,2,1,north\nc>a,1,3,south\n,1,1,north\n"
    )
    prof = read_csv(text)
    assert prof.candidates == ("a", "b", "c") and prof.names["a"] == "Alpha"
    assert prof.n_voters == 4 and prof.group_labels() == ["north", "south"]
    assert rank(prof, "borda").scores == {"a": 2 * 2 + 3 * 0, "b": -2 - 3 * 2, "c": -2 + 3 * 2}


def test_csv_other_kinds():
    """Approvals, ratings, points and both pairwise layouts."""
    ap = read_csv("approved\na;b\nb\n")
    assert isinstance(ap, ApprovalProfile) and rank(ap, "approval").winners == ["b"]
    rt = read_csv("# scale: bad, ok, good\nrating:x,rating:y\ngood,bad\nok,\n")
    assert isinstance(rt, RatingProfile) and rank(rt, "mean").scores == {"x": 1.5, "y": 0.0}
    pt = read_csv("# budget: 10\npoints:x,points:y\n7,3\n0,10\n")
    assert isinstance(pt, PointsProfile) and rank(pt, "points").winners == ["y"]
    pw = read_csv("winner,loser,tie\nx,y,0\nx,y,1\n")
    pw2 = read_csv("a,b,choice\nx,y,x\ny,x,NA\n")
    assert isinstance(pw, PairwiseProfile)
    assert np.array_equal(pw.win_matrix("half"), pw2.win_matrix("half"))


@pytest.mark.parametrize(
    "text, problem",
    [
        ("ranking\na>a\n", ":2: a candidate appears twice"),
        ("# candidate a: A\nranking\na>z\n", ":3: candidate 'z' is not declared"),
        ("ranking,count\na,-1\n", ":2: count '-1' is not"),
        ("# scale: lo, hi\nrating:x\nmid\n", ":3: 'mid' is not on the scale"),
        ("rating:x\n1\n", "ratings need a '# scale"),
        ("# budget: 5\npoints:x\n6\n", ":3: allocates 6 points, more than the budget 5"),
        ("a,b,choice\nx,y,z\n", ":2: choice 'z' is neither"),
        ("foo,bar\n1,2\n", "cannot tell the ballot kind"),
    ],
)
def test_csv_errors_name_the_line(text, problem):
    """Malformed CSV rows raise ParseError with the file line."""
    with pytest.raises(ParseError) as err:
        read_csv(text, source="b.csv")
    assert problem in str(err.value)


def test_json_kinds():
    """The JSON format for every ballot kind."""
    rk = read_json(
        json.dumps(
            {
                "kind": "rankings",
                "candidates": {"a": "A", "b": "B"},
                "ballots": [
                    {"ranking": [["a"], ["b"]], "count": 2},
                    {"ranking": ["b"], "group": "g2"},
                ],
            }
        )
    )
    assert rk.n_voters == 3 and rk.names["a"] == "A"
    rt = read_json(
        json.dumps(
            {
                "kind": "ratings",
                "scale": ["no", "yes"],
                "ballots": [{"ratings": {"a": "yes", "b": None}}],
            }
        )
    )
    assert rank(rt, "majority-judgment").winners == ["a"]
    ap = read_json(json.dumps({"kind": "approvals", "ballots": [{"approved": ["a"]}]}))
    assert rank(ap, "approval").winners == ["a"]
    pt = read_json(
        json.dumps({"kind": "points", "budget": 5, "ballots": [{"points": {"a": 2, "b": 3}}]})
    )
    assert rank(pt, "points").winners == ["b"]
    pw = read_json(
        json.dumps(
            {
                "kind": "pairwise",
                "ballots": [{"winner": "a", "loser": "b"}, {"pair": ["a", "b"], "choice": None}],
            }
        )
    )
    assert pw.n_voters == 2


def test_json_errors():
    """JSON syntax errors give the line; bad ballots name the ballot."""
    with pytest.raises(ParseError, match=r"x.json:2: invalid JSON"):
        read_json('{"kind": "rankings",\n "ballots": [}', source="x.json")
    with pytest.raises(ParseError, match=r"ballots\[0\]: count -2"):
        read_json(json.dumps({"kind": "rankings", "ballots": [{"ranking": [], "count": -2}]}))
    with pytest.raises(ParseError, match="unknown candidate"):
        read_json(
            json.dumps({"kind": "rankings", "candidates": ["a"], "ballots": [{"ranking": ["z"]}]})
        )


def test_load_dispatches_on_extension(tmp_path):
    """load() picks the reader by extension and rejects unknown ones."""
    f = tmp_path / "e.toc"
    f.write_text(HEAD + "1: {1,2,3}\n")
    assert load(f).n_voters == 1
    g = tmp_path / "e.txt"
    g.write_text("x")
    with pytest.raises(ParseError, match="unknown file type"):
        load(g)


def test_profile_constructors_agree():
    """from_rankings, from_orders and from_ranks build the same profile."""
    a = Profile.from_rankings([["0", "1", "2"], ["2", "0"]], candidates=["0", "1", "2"])
    b = Profile.from_orders(np.array([[0, 1, 2], [2, 0, -1]]), n_candidates=3)
    c = Profile.from_ranks(np.array([[0, 1, 2], [1, -1, 0]]))
    assert a.ballots() == b.ballots() == c.ballots()


def test_a_count_beyond_fifteen_digits_is_refused_with_its_line():
    """A huge count is a mistake in the file: a clear error with its line, not an overflow."""
    text = (
        "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 2\n"
        "# NUMBER UNIQUE ORDERS: 2\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n"
        "# ALTERNATIVE NAME 3: c\n9000000000000000000: 1,2,3\n9000000000000000000: 2,3,1\n"
    )
    with pytest.raises(ParseError, match=r"big\.soc:8: count '9000000000000000000' is too large"):
        read_preflib(text, "soc", source="big.soc")


@pytest.mark.parametrize("distinct", [1, 2, 3])
def test_counts_that_add_up_past_the_bound_are_refused_not_wrapped_around(distinct):
    """20,000 counts of 10^15 - 1 each would overflow int64 and lose float64 exactness."""
    orders = ["1,2,3", "2,1,3", "3,1,2"][:distinct]
    lines = "".join(f"999999999999999: {orders[i % distinct]}\n" for i in range(20_000))
    text = "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n" + lines
    with pytest.raises(
        ParseError, match=r"many\.soc:3: the counts up to line \d+ add up to more than"
    ):
        read_preflib(text, "soc", source="many.soc")


def test_counts_that_reach_the_bound_exactly_are_read():
    """The bound itself is allowed: two ballots of 5·10^14 make 10^15 voters."""
    text = (
        "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 2\n500000000000000: 1,2\n500000000000000: 2,1\n"
    )
    profile = read_preflib(text, "soc", source="edge.soc")
    assert int(profile.counts.sum()) == 10**15
