"""The public face: service information, online newsroom, public questions and reports,
open data API (layer: above documents, below evaluation)."""
