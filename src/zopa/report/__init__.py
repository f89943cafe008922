"""Rendering: plots and documents made from analysis results. Nothing here computes."""
