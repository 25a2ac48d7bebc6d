"""The web app: the services in a browser for steering-committee members, unit officers, HR officers and
experts, with a REST API under ``/api`` (OpenAPI at ``/docs``) for everything the pages do.

``create_app(settings)`` builds the FastAPI application; ``reorg serve`` runs it with uvicorn. Routes are
thin: they check who asks (``context``), call one service in a unit of work and render a Jinja2 template or
return JSON. Each feature has one module in ``routes/`` holding its pages and its API routes.
"""

from reorg.web.app import create_app
from reorg.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
