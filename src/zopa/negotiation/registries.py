"""The agent and protocol registries (built-ins register when :mod:`zopa.negotiation` loads)."""

from __future__ import annotations

from zopa.negotiation.registry import Registry

AGENTS: Registry[type] = Registry("agent")
PROTOCOLS: Registry[type] = Registry("protocol")
