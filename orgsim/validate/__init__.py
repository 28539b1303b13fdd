"""Use: the model checked against queueing and screening theory on degenerate scenarios."""
