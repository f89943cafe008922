"""Language-model negotiators: a chat model behind an OpenAI-compatible endpoint plays a party.

Importing this package registers the ``llm`` agent with :data:`zopa.negotiation.AGENTS`.
It talks to a server over HTTP (the user's own llama.cpp or Ollama server, or a hosted
service), so it sits beside the readers at the boundary, not in the pure negotiation
package. It needs the optional ``openai`` client (``pip install zopa[llm]``), imported
only when a run starts; nothing is ever downloaded.
"""

from __future__ import annotations

from zopa.llm.agent import LanguageModel, LanguageModelError

__all__ = ["LanguageModel", "LanguageModelError"]
