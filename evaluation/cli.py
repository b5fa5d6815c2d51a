"""`copmatch evaluate`: offline quality numbers on real data, against baselines.

Each command writes report.md, chart.png, TREC runs and qrels into --out and prints its table;
the imported, indexed workspace is kept under --out/work and reused by the next run.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typer

from evaluation.data import DATA

if TYPE_CHECKING:
    from evaluation.report import Table
    from models.encoder import Encoder
    from store.importers.records import Batch
    from store.settings import Settings

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="Offline evaluation against baselines.")

BUNDLE = typer.Option(
    None, "--bundle", help="an organization bundle folder", exists=True, file_okay=False, resolve_path=True
)
DUMP = typer.Option(
    None,
    "--stackexchange",
    help="a raw StackExchange dump folder",
    exists=True,
    file_okay=False,
    resolve_path=True,
)
SLACK = typer.Option(
    None, "--slack", help="a Slack workspace export (ZIP or folder)", exists=True, resolve_path=True
)
DISCOURSE = typer.Option(
    None, "--discourse", help="a Discourse forum's URL (API key: COPMATCH_DISCOURSE_API_KEY)"
)
OUT = typer.Option(..., "--out", help="folder for the report, runs and the reusable workspace")

Task = Callable[[str, "Batch", Path, Path, "Encoder", "Settings"], "Table"]


@app.callback()
def needs_eval_extra() -> None:
    """Offline evaluation against baselines (needs the `eval` extra: pip install -e '.[eval]')."""
    missing = [name for name in ("ir_measures", "matplotlib") if find_spec(name) is None]
    if missing:
        raise _fail(f"copmatch evaluate needs {', '.join(missing)}: pip install -e '.[eval]'")


def _fail(message: str) -> typer.Exit:
    """Print an error line and give the exit to raise (status 2)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


@dataclass(frozen=True)
class Source:
    """The datasets an evaluation command was given; exactly one must be."""

    bundle: Path | None = None
    stackexchange: Path | None = None
    slack: Path | None = None
    discourse: str | None = None


def _dataset(source: Source) -> tuple[str, "Batch"]:
    """The name and validated records of the one dataset given, read as `copmatch import` does."""
    from evaluation.protocol import read_dump
    from store.importers.bundle import read_bundle
    from store.importers.slack import read_slack

    if sum(value is not None for value in vars(source).values()) != 1:
        raise _fail("give exactly one of --bundle DIR, --stackexchange DIR, --slack EXPORT, --discourse URL")
    if source.bundle is not None:
        return source.bundle.name, read_bundle(source.bundle)
    if source.stackexchange is not None:
        return source.stackexchange.name.removeprefix("stackexchange-"), read_dump(source.stackexchange)
    if source.slack is not None:
        return source.slack.name.removesuffix(".zip"), read_slack(source.slack)
    return _forum(str(source.discourse))


def _forum(url: str) -> tuple[str, "Batch"]:
    """A whole Discourse forum (no cursors), named by its host."""
    from urllib.parse import urlparse

    from store.importers.discourse import read_discourse
    from store.importers.discourse_client import DiscourseClient
    from store.settings import Settings

    client = DiscourseClient(url, Settings().discourse_api_key)
    return urlparse(url).netloc or url, read_discourse(client)


def _setup() -> tuple["Settings", "Encoder"]:
    """The settings in force and the encoder they name."""
    from indexing.job import make_encoder
    from store.settings import Settings

    settings = Settings()
    return settings, make_encoder(settings)


def _finish(out: Path, tables: list["Table"]) -> None:
    """Write the report and chart into `out` and print the tables."""
    from evaluation.report import markdown, write_report

    report = write_report(out, tables)
    for table in tables:
        typer.echo(f"\n{table.title}")
        for note in table.notes:
            typer.echo(f"  {note}")
        typer.echo(markdown(table))
    typer.echo(f"\nreport: {report}")


def _run_task(task: Task, source: Source, out: Path) -> None:
    """Read the dataset, run one evaluation with its workspace in out/work, report."""
    from store.importers.records import BundleError

    try:
        name, batch = _dataset(source)
        settings, encoder = _setup()
        table = task(name, batch, out / "work", out, encoder, settings)
    except (BundleError, ValueError) as error:
        raise _fail(str(error)) from error
    _finish(out, [table])


ABLATIONS = typer.Option(True, help="also run copmatch with each signal switched off (slow on large data)")
WINDOWS = typer.Option(
    1, "--windows", min=1, help="rolling-origin cutoffs a tenth of the questions apart, pooled (1 = the spec)"
)


@app.command("experts")
def experts(
    bundle: Path | None = BUNDLE,
    stackexchange: Path | None = DUMP,
    slack: Path | None = SLACK,
    discourse: str | None = DISCOURSE,
    out: Path = OUT,
    windows: int = WINDOWS,
    ablations: bool = ABLATIONS,
) -> None:
    """Expert finding by the spec's protocol: baselines, copmatch and its ablations."""
    from evaluation.experts import evaluate_experts

    _run_task(
        lambda name, batch, work, out_dir, encoder, settings: evaluate_experts(
            name, batch, work, out_dir, encoder, settings, windows, ablations
        ),
        Source(bundle, stackexchange, slack, discourse),
        out,
    )


@app.command("mentors")
def mentors(
    bundle: Path | None = BUNDLE,
    stackexchange: Path | None = DUMP,
    slack: Path | None = SLACK,
    discourse: str | None = DISCOURSE,
    out: Path = OUT,
) -> None:
    """Mentor matching proxy: newcomers' first questions, MRR and exposure Gini."""
    from evaluation.mentors import evaluate_mentors

    _run_task(evaluate_mentors, Source(bundle, stackexchange, slack, discourse), out)


@app.command("health")
def health(bundle: Path | None = BUNDLE, stackexchange: Path | None = DUMP, out: Path = OUT) -> None:
    """Community health on the whole history: report time per community, newcomer progression."""
    from evaluation.health import evaluate_health

    _run_task(evaluate_health, Source(bundle, stackexchange), out)


@app.command("feedback")
def feedback(
    out: Path = OUT,
    size: Literal["small", "default"] = typer.Option("default", "--size", help="demo organization size"),
) -> None:
    """Feedback replay on the demo organization: simulated members who never respond or always help."""
    from evaluation.feedback_replay import evaluate_feedback_replay

    settings, encoder = _setup()
    try:
        table = evaluate_feedback_replay(out / "work", encoder, settings, size)
    except ValueError as error:
        raise _fail(str(error)) from error
    _finish(out, [table])


@app.command("solutions")
def solutions(stackexchange: Path = DUMP, out: Path = OUT) -> None:
    """Similar solutions on a StackExchange dump, PostLinks as relevance, against TF-IDF."""
    from evaluation.solutions import evaluate_solutions

    if stackexchange is None:
        raise _fail("solutions needs --stackexchange DIR (a dump with PostLinks.xml)")
    _run_task(
        lambda name, batch, work, out_dir, encoder, settings: evaluate_solutions(
            name, stackexchange, batch, work, out_dir, encoder, settings
        ),
        Source(stackexchange=stackexchange),
        out,
    )


@app.command("communities")
def communities(bundle: Path = BUNDLE, out: Path = OUT) -> None:
    """Related communities for held-out questions: P@1 and R@3 against content only."""
    from store.importers.records import BundleError

    if bundle is None:
        raise _fail("communities needs --bundle DIR (communities `site` and `site/tag`)")
    try:
        settings, encoder = _setup()
        table = _communities_table(bundle, out / "work", encoder)
    except (BundleError, ValueError) as error:
        raise _fail(str(error)) from error
    _finish(out, [table])


def _communities_table(bundle: Path, work: Path, encoder: "Encoder") -> "Table":
    """The related-communities evaluation of a bundle as a report table."""
    from evaluation.related_communities import evaluate_related_communities
    from evaluation.report import Table

    result = evaluate_related_communities(bundle, work, encoder)
    columns = list(next(iter(result["methods"].values())))
    notes = [
        f"dataset: {result['bundle']}; held-out questions (spec time split), index built before T",
        f"{result['questions']} questions with a tag community; {result['dropped']} dropped",
        "relevant: the communities of the question's tags",
    ]
    rows = list(result["methods"].items())
    return Table(f"Related communities: {result['bundle']}", columns, rows, notes)


@app.command("all")
def all_tasks(out: Path = OUT) -> None:
    """Every evaluation on ../shared/data: dba, history and the quantum computing dump."""
    from store.importers.records import BundleError

    bundles = [p for p in (DATA / "bundles" / "dba", DATA / "bundles" / "history") if p.is_dir()]
    dump = DATA / "stackexchange-quantumcomputing"
    if not bundles and not dump.is_dir():
        raise _fail(f"no evaluation data under {DATA.resolve()}")
    settings, encoder = _setup()
    try:
        tables = [t for b in bundles for t in _bundle_tables(b, out, encoder, settings)]
        if dump.is_dir():
            tables += _dump_tables(dump, out, encoder, settings)
    except (BundleError, ValueError) as error:
        raise _fail(str(error)) from error
    _finish(out, tables)


def _bundle_tables(bundle: Path, out: Path, encoder: "Encoder", settings: "Settings") -> list["Table"]:
    """Experts, mentors, related communities and health on one bundle, sharing its workspace
    (health, on the whole history, goes last: the others' split is then one incremental step away)."""
    from evaluation.experts import evaluate_experts
    from evaluation.health import evaluate_health
    from evaluation.mentors import evaluate_mentors
    from store.importers.bundle import read_bundle

    batch, name = read_bundle(bundle), bundle.name
    work = out / "work" / name
    return [
        evaluate_experts(name, batch, work, out / f"experts-{name}", encoder, settings),
        evaluate_mentors(name, batch, work, out / f"mentors-{name}", encoder, settings),
        _communities_table(bundle, work, encoder),
        evaluate_health(name, batch, work, out / f"health-{name}", encoder, settings),
    ]


def _dump_tables(dump: Path, out: Path, encoder: "Encoder", settings: "Settings") -> list["Table"]:
    """Experts and mentors on the dump's time split, solutions over the whole dump; they share
    one workspace, since switching between them is an incremental import and index."""
    from evaluation.experts import evaluate_experts
    from evaluation.mentors import evaluate_mentors
    from evaluation.protocol import read_dump
    from evaluation.solutions import evaluate_solutions

    batch, name = read_dump(dump), dump.name.removeprefix("stackexchange-")
    work = out / "work" / name
    return [
        evaluate_experts(name, batch, work, out / f"experts-{name}", encoder, settings),
        evaluate_mentors(name, batch, work, out / f"mentors-{name}", encoder, settings),
        evaluate_solutions(
            name,
            dump,
            batch,
            work,
            out / f"solutions-{name}",
            encoder,
            settings,
        ),
    ]
