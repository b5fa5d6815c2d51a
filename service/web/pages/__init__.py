"""The web app's routers, one module per page."""
