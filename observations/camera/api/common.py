"""Shared pieces of the camera-trap API: number formats."""

from __future__ import annotations


def _num(value):
    return None if value is None else float(value)
