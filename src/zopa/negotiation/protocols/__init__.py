"""The negotiation protocols (importing this package registers them)."""
