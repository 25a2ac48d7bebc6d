"""One module per feature, each with ``pages`` (HTML) and ``api`` (JSON under /api) routers."""
