"""Yurt: write HashiCorp Nomad task-driver and device plugins in Python."""

__all__: list[str] = []
