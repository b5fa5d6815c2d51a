"""`python -m service.cli`: the copmatch command, as the service starts background index runs."""

from service.cli import app

app(prog_name="copmatch")
