"""The rule-based negotiating agents (importing this package registers them)."""
