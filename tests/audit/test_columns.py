"""The column-by-column chunk (ccsig.audit.columns, pyarrow) writes exactly what the
per-URL loop of ccsig.audit.judge writes, and what each URL's record built alone is."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ccsig.audit.columns import ColumnAuditor
from ccsig.audit.judge import Auditor
from ccsig.audit.run import build_table, options_of
from ccsig.model.vocabulary import load_ontology
from tests.audit.test_judge import _HOSTS, _LINES, _TAILS
from tests.helpers.warc import ROBOTS_SITES, http, member, robots_captures

_PLAIN_TAILS = st.sampled_from(
    ["/", "/private/a", "/private/ok", "/private/ok/more", "/open/", "/open/a.pdf",
     "/blog/x", "/blog/xy?q=1", "/blog/y", "/img/1.png", "/a/b/c"]
)  # fmt: skip


@settings(max_examples=20, deadline=None)
@given(
    bodies=st.lists(st.lists(_LINES, max_size=4), min_size=1, max_size=3),
    plain=st.lists(st.tuples(st.sampled_from(ROBOTS_SITES), _PLAIN_TAILS), min_size=1, max_size=30),
    odd=st.lists(st.tuples(_HOSTS, _TAILS), max_size=10),
    fmt=st.sampled_from(["jsonl", "csv", "text"]),
    seed=st.randoms(use_true_random=False),
)
def test_columns_write_the_loops_bytes(
    tmp_path_factory: object,
    bodies: list[list[str]],
    plain: list[tuple[str, str]],
    odd: list[tuple[str, str]],
    fmt: str,
    seed: object,
) -> None:
    folder = tmp_path_factory.mktemp("columns")  # type: ignore[attr-defined]
    warc = robots_captures(folder / "r.warc.gz", bodies)
    options = options_of("train-genai")
    table = build_table([str(warc)], options, lambda message: None)
    labels = load_ontology().vocabulary(options.vocabulary).labels
    urls = [host + tail for host, tail in plain] * (300 // len(plain) + 1)
    urls += [host + tail for host, tail in odd]
    seed.shuffle(urls)  # type: ignore[attr-defined]
    columns = ColumnAuditor(table, options, fmt, labels)
    assert columns.columnwise
    loop = Auditor(table, options, fmt, labels)
    for _ in range(2):  # and again, with what the first chunk learnt
        got, want = columns.chunk(list(urls)), loop.chunk(list(urls))
        assert got.payload == want.payload
        assert got.decisions == want.decisions
        assert got.per_host() == want.hosts
        assert got.warnings == want.warnings
        assert got.changed == want.changed
    if fmt != "text":
        alone = Auditor(table, options, fmt, labels)
        expected = "".join(
            alone.encoder.line(url, alone.encoder.tail(alone.rest(url))) for url in urls
        )
        assert got.payload.decode("utf-8") == expected


def test_without_pyarrow_every_chunk_takes_the_loop(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    from ccsig.audit import columns

    monkeypatch.setattr(columns, "arrow", lambda: None)
    warc = tmp_path / "r.warc.gz"
    body = b"User-agent: *\nDisallow: /private/\nContent-Usage: train-ai=n\n"
    warc.write_bytes(member("https://h0.example/robots.txt", http("200 OK", [], body)))
    options = options_of("train-genai")
    table = build_table([str(warc)], options, lambda message: None)
    labels = load_ontology().vocabulary(options.vocabulary).labels
    auditor = ColumnAuditor(table, options, "jsonl", labels)
    assert not auditor.columnwise
    urls = [f"https://h0.example/{'private/' if n % 3 else ''}p{n}" for n in range(400)]
    loop = Auditor(table, options, "jsonl", labels)
    assert auditor.chunk(urls).payload == loop.chunk(urls).payload


def test_the_tally_of_host_columns_is_the_tally_of_host_dicts(monkeypatch) -> None:  # noqa: ANN001
    """Chunks whose hosts come as columns add up, compacted now and then, to the summary
    of the same counts as dicts."""
    import pyarrow as pa

    from ccsig.audit import summary
    from ccsig.audit.judge import DECISIONS, Chunk
    from ccsig.audit.summary import Tally

    monkeypatch.setattr(summary, "_COMPACT", 5)  # compact after a few rows
    columns, dicts = Tally(), Tally()
    for n in range(12):
        counts = {f"h{(n * k) % 9}.example": [k, (n + k) % 4, n % 2] for k in range(1, 5)}
        table = pa.table(
            [pa.array(list(counts), pa.large_string())]
            + [pa.array([c[i] for c in counts.values()], pa.int64()) for i in range(3)],
            names=["host", *DECISIONS],
        )
        decisions = [sum(c[i] for c in counts.values()) for i in range(3)]
        loop = {"odd.example": 1 << 40}  # a disallowed URL the loop decided
        as_columns = Chunk(None, [decisions[0], decisions[1] + 1, decisions[2]], 0, loop, [], table)
        columns.add(as_columns, print)
        dicts.add(as_columns._replace(hosts=as_columns.per_host(), host_columns=None), print)
    assert columns.summary() == dicts.summary()
    assert columns.summary(top=20)["top_hosts"] == dicts.summary(top=20)["top_hosts"]
    assert len(columns.summary(top=20)["top_hosts"]) == 10  # 9 hosts and the odd one


def test_the_tally_adds_sliced_columns_and_counts_past_32_bits(monkeypatch) -> None:  # noqa: ANN001
    """Compaction (numpy over the columns' buffers) reads sliced arrays from their offset
    and adds counts that do not fit 32 bits exactly."""
    import pyarrow as pa

    from ccsig.audit import summary
    from ccsig.audit.judge import DECISIONS, Chunk
    from ccsig.audit.summary import Tally

    monkeypatch.setattr(summary, "_COMPACT", 3)
    columns, dicts = Tally(), Tally()
    big = 3_000_000_007
    for n in range(6):
        hosts = [f"h{(n + k) % 4}.example" for k in range(5)]
        table = pa.table(
            [pa.array(hosts, pa.large_string())]
            + [pa.array([big * (k + 1) + i for k in range(5)], pa.int64()) for i in range(3)],
            names=["host", *DECISIONS],
        ).slice(1 + n % 2)  # arrays with an offset
        decisions = [sum(table[name].to_pylist()) for name in DECISIONS]
        chunk = Chunk(None, decisions, 0, {}, [], table)
        columns.add(chunk, print)
        dicts.add(chunk._replace(hosts=chunk.per_host(), host_columns=None), print)
    assert columns.per_host() == dicts.per_host()
    assert columns.summary() == dicts.summary()
    assert max(summary.unpack(c)[1] for c in columns.per_host().values()) > 1 << 32


def test_the_summary_is_made_once_until_more_is_added() -> None:
    from ccsig.audit.judge import Chunk
    from ccsig.audit.summary import Tally

    tally = Tally()
    tally.add(Chunk(None, [0, 2, 0], 0, {"a.example": 2 << 40}, []), print)
    first = tally.summary()
    first["top_hosts"].clear()  # the caller's copy
    assert tally.summary()["top_hosts"] == [
        {"host": "a.example", "urls": 2, "allowed": 0, "disallowed": 2, "unknown": 0}
    ]
    tally.add(Chunk(None, [0, 3, 0], 0, {"b.example": 3 << 40}, []), print)
    assert tally.summary()["urls"] == 5
    assert [h["host"] for h in tally.summary()["top_hosts"]] == ["b.example", "a.example"]


def test_workers_decide_columns_without_importing_pandas(tmp_path) -> None:  # noqa: ANN001
    """In a process of ccsig's own, without_pandas keeps pyarrow from importing pandas (half
    a second a worker) through the column path, and Table.to_pandas still finds it."""
    import subprocess
    import sys
    import textwrap

    warc = tmp_path / "r.warc.gz"
    body = b"User-agent: *\nDisallow: /private/\nContent-Usage: /blog/ train-genai=n\n"
    warc.write_bytes(member("https://h0.example/robots.txt", http("200 OK", [], body)))
    script = textwrap.dedent(f"""
        import sys
        from ccsig.audit.columns import ColumnAuditor, without_pandas
        from ccsig.audit.run import build_table, options_of
        from ccsig.model.vocabulary import load_ontology
        assert "pandas" not in sys.modules
        without_pandas()
        options = options_of("train-genai")
        table = build_table([{str(warc)!r}], options, print)
        labels = load_ontology().vocabulary(options.vocabulary).labels
        auditor = ColumnAuditor(table, options, "jsonl", labels)
        paths = ["blog/", "", "private/"]
        urls = [f"https://h{{n % 3}}.example/{{paths[n % 3]}}p{{n}}" for n in range(999)]
        chunk = auditor.chunk(urls)
        assert auditor.columnwise and chunk.host_columns is not None
        print("pandas" in sys.modules)
        try:
            import pandas  # noqa: F401
        except ImportError:
            print("absent")
        else:
            import pyarrow as pa
            print(type(pa.table({{"a": [1]}}).to_pandas()).__name__)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)  # fmt: skip
    imported, then = done.stdout.split()
    assert imported == "False"
    assert then in ("DataFrame", "absent")
