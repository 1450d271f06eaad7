"""`wargame serve`: team seats in the browser over one game host (see host.py)."""
