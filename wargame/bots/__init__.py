"""Bots: seats played by the computer. Each takes an injected rng and sees only its view."""

from __future__ import annotations
