"""The bulk readers agree with the line-by-line readers, across chunk boundaries too."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ranking import ParseError, read_csv, read_json, read_preflib
from ranking.io import _preflib_bulk, chunks_of_bytes, csvfile, preflib, read_preflib_chunks
from ranking.tests.strategies import ranking_ballots

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _same(a, b):
    assert a.candidates == b.candidates and a.names == b.names
    assert a.ballots() == b.ballots()


def _preflib_text(m, ballots, counts, spaces):
    sep = ", " if spaces else ","
    lines = [f"# NUMBER ALTERNATIVES: {m}", "# ALTERNATIVE NAME 1: Ann"]
    for groups, count in zip(ballots, counts, strict=True):
        items = [
            str(g[0] + 1) if len(g) == 1 else "{" + sep.join(str(c + 1) for c in g) + "}"
            for g in groups
        ]
        lines.append(f"{count}: " + sep.join(items))
        if spaces:
            lines.append("")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(ranking_ballots(), st.booleans(), st.integers(8, 64))
def test_preflib_bulk_equals_line_by_line(data, spaces, chunk):
    """Ties, truncation, blank lines and spaces; one chunk or many small ones."""
    m, ballots, counts = data
    text = _preflib_text(m, ballots, counts, spaces)
    bulk = read_preflib(text, "toi")
    many = read_preflib_chunks(chunks_of_bytes(text.encode(), size=chunk), "toi")
    _same(bulk, many)
    original = preflib._parse_bulk
    try:
        preflib._parse_bulk = lambda *args: None  # every chunk line by line
        _same(bulk, read_preflib(text, "toi"))
    finally:
        preflib._parse_bulk = original


def test_preflib_error_in_a_later_chunk_names_its_line():
    """Chunks keep the file's line numbers."""
    lines = ["# NUMBER ALTERNATIVES: 3"] + ["1: 1,2,3"] * 50 + ["1: 1,2,2"]
    data = ("\n".join(lines) + "\n").encode()
    with pytest.raises(ParseError, match=r"^f.soc:52: candidate 2 appears twice"):
        read_preflib_chunks(chunks_of_bytes(data, size=64), "soc", source="f.soc")


@pytest.mark.parametrize(
    "body, problem",
    [
        ("1: 01,2,3\n", ":2: candidate 01 is not in 1..3"),
        ("1: 1,2,3 4\n", ":2: '3 4' is not a candidate number"),
        ("1: {1,2},3\n", ":2: tie in a .soc file"),
        ("1: 1,2,3\n# NUMBER ALTERNATIVES: 4\n", ":3: header NUMBER ALTERNATIVES after"),
    ],
)
def test_preflib_bulk_rejections_keep_their_messages(body, problem):
    """What the bulk path refuses, the line-by-line path names."""
    with pytest.raises(ParseError) as err:
        read_preflib("# NUMBER ALTERNATIVES: 3\n" + body, "soc", source="f")
    assert problem in str(err.value)


def _line_by_line(text, kind):
    original = preflib._parse_bulk
    try:
        preflib._parse_bulk = lambda *args: None
        return read_preflib(text, kind, source="f")
    finally:
        preflib._parse_bulk = original


def _outcome(read):
    try:
        return read().ballots()
    except ParseError as exc:
        return str(exc)


@SETTINGS
@given(st.integers(2, 30), st.integers(1, 12), st.data())
def test_preflib_table_reader_equals_line_by_line(m, n, data):
    """The table layout (same length on every line, no ties) read by ``np.fromstring``."""
    k = data.draw(st.integers(1, m))
    rows = [data.draw(st.permutations(range(1, m + 1)))[:k] for _ in range(n)]
    counts = data.draw(st.lists(st.integers(0, 10**14), min_size=n, max_size=n))
    body = "".join(
        f"{c}: " + ",".join(map(str, r)) + "\n" for c, r in zip(counts, rows, strict=True)
    )
    text = f"# NUMBER ALTERNATIVES: {m}\n" + body
    kind = "soc" if k == m else "soi"
    assert _preflib_bulk._parse_table(body.encode(), m, kind) is not None
    _same(read_preflib(text, kind), _line_by_line(text, kind))


@pytest.mark.parametrize(
    "body",
    [
        "1: 1,2,3\n1: 01,2,3\n",  # a leading zero
        "0: 1,2,3\n10: 3,2,1\n",  # zeros that are numbers
        "+1: 1,2,3\n",
        "1: 1,-2,3\n",
        "1:: 1,2,3\n",
        "1: 1,,3\n",
        "1: 1,2,3,\n",
        "1: 1 ,2,3\n",
        "1: 1,2,3\n1: 1,2\n",  # lines of different lengths
        "1: 1,2\n1: 1,2,3\n1: 3\n",
        "1,1: 2,3\n",  # a comma in the count
        "1: 1,2,3\n1 3,2,1\n",  # a line without its colon
        "10000000000000000: 1,2,3\n",  # a count beyond 15 digits
        "99999999999999999999999: 1,2,3\n",
        "1: 1,2,99999999999999999999\n",
        "1: 1,2,4\n",
        "1: 1,2,2\n",
        "1: 1,2,3",  # no final newline
        "1:1,2,3\n2:3,2,1\n",
        # review: shapes where np.fromstring reads a blank item as 0, and other edges
        "1: \n",
        "1: \n2: \n",
        "1:\n2:\n",
        "1: ,2,3\n",
        "1:  1,2,3\n",
        " 1: 1,2,3\n",
        "1 : 1,2,3\n",
        "1: 1,2,3\r\n2: 3,2,1\r\n",
        "1: 1,2,3\n\n2: 3,2,1\n",
        "0: 1,2,3\n0: 3,2,1\n",
        "999999999999999: 1,2,3\n",
        "1: 1,2,3\n1: 1,2,3\n1: 1,2,3\n",
        "1: 3\n2: 2\n",
        # a '}' without its '{' (once read as if it were not there)
        "1: 3,2}\n",
        "2: 1},2,3\n",
        "1: 1,2,3}\n1: 1,2,3\n",
    ],
)
@pytest.mark.parametrize("kind", ["soc", "soi", "toc", "toi"])
def test_preflib_table_reader_refuses_what_the_line_reader_refuses(body, kind):
    """Every shape the table reader must not accept gives the same outcome (ballots or the
    same error with its line) as the reference parser."""
    text = "# NUMBER ALTERNATIVES: 3\n" + body
    assert _outcome(lambda: read_preflib(text, kind, source="f")) == _outcome(
        lambda: _line_by_line(text, kind)
    )


@SETTINGS
@given(ranking_ballots(max_m=5), st.booleans())
def test_csv_rankings_bulk_equals_line_by_line(data, declared):
    """Rankings with ties, counts, weights and groups."""
    m, ballots, counts = data
    head = "".join(f"# candidate c{i}: Name {i}\n" for i in range(m)) if declared else ""
    rows = [
        ">".join("=".join(f"c{c}" for c in g) for g in b) + f",{n},{n / 2},g{n % 2}"
        for b, n in zip(ballots, counts, strict=True)
    ]
    text = head + "ranking,count,weight,group\n" + "\n".join(rows) + "\n"
    _same(read_csv(text), csvfile._read_lines(text, "<csv>", None))


def test_csv_other_kinds_bulk_equals_line_by_line():
    """Approvals, pairwise (both layouts), ratings and points."""
    texts = [
        "approved,count\na;b,2\nb,1\n,1\n",
        "winner,loser,tie\nx,y,0\ny,x,1\nz,x,\n",
        "a,b,choice\nx,y,y\ny,z,NA\nz,x,x\n",
        "# scale: lo, mid, hi\nrating:x,rating:y\nhi,\nlo,mid\n",
        "# budget: 10\npoints:x,points:y,group\n7,3,n\n,10,s\n",
    ]
    for text in texts:
        bulk, lines = read_csv(text), csvfile._read_lines(text, "<csv>", None)
        assert type(bulk) is type(lines)
        for name in bulk._row_arrays():
            assert np.array_equal(getattr(bulk, name), getattr(lines, name), equal_nan=True), (
                text,
                name,
            )
        assert np.array_equal(bulk.multiplicity, lines.multiplicity)
        assert bulk.candidates == lines.candidates


def test_csv_short_rows_are_read_line_by_line():
    """Rows with fewer fields than the header take the line-by-line reader."""
    prof = read_csv("ranking,count\na>b,2\nb\n")
    assert prof.n_voters == 3


def test_wikisurvey_bulk_equals_line_by_line():
    """Several questions, NA answers and ties."""
    text = (
        "question,wiki_pair_1,wiki_1,wiki_pair_2,wiki_2\n"
        'q1,"1,2",1,"2,3",NA\nq1,"3,1",1,NA,\nq2,"1,2",2,"1,3",3\n'
    )
    for q in ("q1", "q2"):
        bulk, lines = read_csv(text, question=q), csvfile._read_lines(text, "<csv>", q)
        assert bulk.candidates == lines.candidates
        assert np.array_equal(bulk.win_matrix("half"), lines.win_matrix("half"))
    with pytest.raises(ParseError, match="several questions"):
        read_csv(text)


def test_json_bulk_and_checked_paths_agree():
    """Ballots the bulk path leaves to the checked path give the same profile."""
    ballots = [{"ranking": [["a"], ["b", "c"]], "count": 2}, {"ranking": ["c"], "weight": 0.5}]
    a = read_json(json.dumps({"kind": "rankings", "ballots": ballots}))
    ballots[1]["weight"] = True  # a bool is not a weight: the checked path names it
    with pytest.raises(ParseError, match=r"ballots\[1\]: weight True"):
        read_json(json.dumps({"kind": "rankings", "ballots": ballots}))
    assert a.n_voters == 3


def test_preflib_file_with_bom_crlf_and_comments(tmp_path):
    """A byte order mark, Windows line ends and comments between ballots."""
    from ranking import load

    f = tmp_path / "e.soc"
    f.write_bytes(
        b"\xef\xbb\xbf# NUMBER ALTERNATIVES: 3\r\n# ALTERNATIVE NAME 1: \xc3\x89lise\r\n"
        b"2: 1,2,3\r\n1: 3,1,2\r\n# a free comment\r\n1: 2,3,1\r\n"
    )
    prof = load(f)
    assert prof.names["1"] == "Élise" and prof.n_voters == 4
    assert [b[0][0] for b in prof.ballots()] == [["1"], ["3"], ["2"]]


def test_preflib_table_reader_refuses_blank_items():
    """``np.fromstring`` reads a blank item (a space between separators) as 0; the table
    reader must refuse such a chunk rather than count candidate 0."""
    for body in (b"1: ,2,3\n", b"1: \n", b"1: \n2: \n"):
        assert _preflib_bulk._parse_table(body, 3, "soi") is None


@pytest.mark.parametrize("size", [4, 8, 16, 64])
def test_preflib_stray_close_brace_is_refused_in_any_chunk(size):
    """A '}' without '{' is an error whichever chunk it falls in, in every data type."""
    lines = ["# NUMBER ALTERNATIVES: 3"] + ["1: 1,2,3"] * 5 + ["1: 1,2},3"] + ["1: 3,2,1"] * 3
    data = ("\n".join(lines) + "\n").encode()
    for kind in ("soc", "soi", "toc", "toi"):
        with pytest.raises(ParseError, match=r"^f:7: '}' without '{'"):
            read_preflib_chunks(chunks_of_bytes(data, size=size), kind, source="f")
