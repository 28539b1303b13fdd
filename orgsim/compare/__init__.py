"""Use: scenarios compared over replications with common random numbers."""
