"""The `copmatch` command line: one sub-module per command group."""

import logging

import typer

from service.cli import demo, evaluate, importing, index, keys, serve, stats

app = typer.Typer(help="copmatch: who knows what in your communities of practice.", no_args_is_help=True)
app.add_typer(importing.app, name="import")
app.add_typer(keys.app, name="keys")
app.add_typer(evaluate.app, name="evaluate")
app.command("demo")(demo.demo)
app.command("stats")(stats.stats)
app.command("index")(index.index)
app.command("serve")(serve.serve)


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="debug logging")) -> None:
    """Set up logging for every command."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
