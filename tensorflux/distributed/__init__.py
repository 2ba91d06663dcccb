"""Distributed execution: cluster descriptions, device placement for replicas, servers."""
