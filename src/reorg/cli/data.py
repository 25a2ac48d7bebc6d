"""Commands on datasets: import, list, show, export. (Being built: see issue 2.)"""

from __future__ import annotations
