"""Evaluation results as Markdown tables and one PNG bar chart (matplotlib, Agg backend)."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPORT_FILE = "report.md"
CHART_FILE = "chart.png"
Cell = float | int | str  # a table cell: a rate, a count or an interval


@dataclass
class Table:
    """One evaluation's results: a row of metric values per method, and notes on the setup."""

    title: str
    columns: list[str]
    rows: Sequence[tuple[str, Mapping[str, Cell]]]  # a count may be an int, an interval a str
    notes: list[str] = field(default_factory=list)


def markdown(table: Table) -> str:
    """The table in Markdown, three decimals, methods in the first column."""
    lines = [
        "| method | " + " | ".join(table.columns) + " |",
        "|---|" + "---:|" * len(table.columns),
    ]
    for method, values in table.rows:
        lines.append(f"| {method} | " + " | ".join(_cell(values[c]) for c in table.columns) + " |")
    return "\n".join(lines)


def _cell(value: float | int | str) -> str:
    """A rate with three decimals; a count or an interval as it is."""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _rates(table: Table) -> list[str]:
    """The columns that hold rates (floats), which share the chart's 0-1 axis."""
    return [c for c in table.columns if all(isinstance(v[c], float) for _, v in table.rows)]


def report_text(tables: list[Table], chart: str = CHART_FILE) -> str:
    """The whole report: per table a heading, its notes and the table; then the chart."""
    parts = ["# copmatch offline evaluation", ""]
    for table in tables:
        parts += [f"## {table.title}", ""]
        parts += [f"- {note}" for note in table.notes]
        parts += ["", markdown(table), ""]
    parts.append(f"![metrics per method]({chart})")
    return "\n".join(parts) + "\n"


def draw_chart(tables: list[Table], path: Path) -> None:
    """One panel per table: grouped bars, a group per rate column and a bar per method."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tab20 = plt.get_cmap("tab20")
    # ten strong colours, then their light shades
    palette = [tab20(i) for i in [*range(0, 20, 2), *range(1, 20, 2)]]
    fig, axes = plt.subplots(len(tables), 1, figsize=(12, 4.2 * len(tables)), squeeze=False)
    for ax, table in zip(axes[:, 0], tables, strict=True):
        columns = _rates(table)
        width = 0.8 / max(len(table.rows), 1)
        for i, (method, values) in enumerate(table.rows):
            xs = [c + (i - (len(table.rows) - 1) / 2) * width for c in range(len(columns))]
            colour = palette[i % len(palette)]
            ax.bar(xs, [values[c] for c in columns], width, label=method, color=colour)
        ax.set_xticks(range(len(columns)), columns)
        top = max((float(values[c]) for _, values in table.rows for c in columns), default=0.0)
        ax.set_ylim(0, max(0.1, math.ceil(top * 11) / 10))
        ax.set_title(table.title)
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(out_dir: Path, tables: list[Table]) -> Path:
    """Write report.md and chart.png into `out_dir`; returns the report's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    draw_chart(tables, out_dir / CHART_FILE)
    path = out_dir / REPORT_FILE
    path.write_text(report_text(tables), encoding="utf-8")
    return path
