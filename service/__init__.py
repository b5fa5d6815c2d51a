"""The query service (FastAPI) and the `copmatch` command line."""
