"""The report: a Markdown table per evaluation and one PNG chart."""

from evaluation.report import Table, markdown, write_report

TABLE = Table(
    "Expert finding: tiny",
    ["MRR", "P@1", "NDCG@10", "R@10"],
    [
        ("popularity", {"MRR": 0.1, "P@1": 0.05, "NDCG@10": 0.15, "R@10": 0.3}),
        ("copmatch", {"MRR": 0.25, "P@1": 0.125, "NDCG@10": 0.3, "R@10": 0.5}),
    ],
    ["cutoff T = 2020-01-01"],
)


def test_markdown_table_has_one_row_per_method_in_column_order() -> None:
    lines = markdown(TABLE).splitlines()
    assert lines[0] == "| method | MRR | P@1 | NDCG@10 | R@10 |"
    assert lines[3] == "| copmatch | 0.250 | 0.125 | 0.300 | 0.500 |"
    assert len(lines) == 4


def test_write_report_writes_markdown_and_png(tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = write_report(tmp_path / "out", [TABLE, TABLE])
    text = report.read_text()
    assert report.name == "report.md"
    assert "## Expert finding: tiny" in text and "- cutoff T = 2020-01-01" in text
    assert "| popularity | 0.100 | 0.050 | 0.150 | 0.300 |" in text
    assert "![metrics per method](chart.png)" in text
    assert (tmp_path / "out" / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
