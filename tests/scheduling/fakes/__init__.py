"""Fake vendor servers that speak the vendors' protocols, for driving our adapters' real clients."""
