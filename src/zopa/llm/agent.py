"""The ``llm`` agent: a chat model negotiates for one party under a rule-enforcing protocol.

Setting (after Bianchi et al. 2024, *How well can LLMs negotiate? NegotiationArena
platform and analysis*, ICML, and Abdelnabi et al. 2024, *Cooperation, competition,
and maliciousness: LLM-stakeholders interactive negotiation*, NeurIPS Datasets and
Benchmarks): each turn the model receives its party's private brief and the public
record and answers with one JSON object, ``{"move": "offer" | "accept" | "walk_away",
"package": {issue: value, ...}, "message": "..."}``, asked for through the endpoint's
JSON-schema response format where the server supports it.

Everything the model says is checked twice: here (a JSON object, a known move, a value
on every issue and on its scale) and by the protocol (the move is open now, the package
names a level on every issue, the protocol's own rule). A refused answer gets one
re-prompt with the reason; a second refusal counts as repeating the party's last offer
(the protocol's rule), and the transcript keeps both answers and the reason.

Deviations from those set-ups:
- The parties' moves are the protocol's (offer / accept / walk away), not free
  conversation; messages are kept in the record but bind nobody.
- Offered values are moved to the nearest level of the deal space's grid (the prompt
  lists the levels); values off the issue's scale are refused, not clipped.
- The brief states the party's utility of the offer on the table and of no agreement,
  computed by the deal space's utility function, so that the model need not do the
  arithmetic; the papers left valuation to the model.
- One draw only (the stated stances): a model is not asked to play thousands of
  Monte Carlo draws.
- Reproducibility comes from the recorded transcript (replay without the model), not
  from the model: temperature 0 and the endpoint's ``seed`` are asked for but servers do
  not all honour them.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from zopa.negotiation.interface import Actions, Move
from zopa.negotiation.registries import AGENTS

if TYPE_CHECKING:
    from zopa.negotiation.interface import Brief, Negotiator, Turn
    from zopa.negotiation.table import Table

MOVES = {"offer": Move.OFFER, "accept": Move.ACCEPT, "walk_away": Move.WALK_AWAY}
"""The moves a model may name, and the protocol's codes for them."""

MAX_REPLY = 20_000
"""Characters of a reply that are read (a longer reply is refused, not parsed)."""


class LanguageModelError(RuntimeError):
    """The model cannot be used: client missing, endpoint unreachable, or too many draws."""


@AGENTS.register
@dataclass(frozen=True, kw_only=True)
class LanguageModel:
    """A chat model behind an OpenAI-compatible endpoint plays the party.

    Attributes:
        url: The endpoint's base URL (``.../v1``): a llama.cpp server
            (``http://127.0.0.1:8080/v1``), Ollama (``http://127.0.0.1:11434/v1``) or a
            hosted service.
        model: The model name the server knows.
        key_env: The environment variable holding the API key (local servers need none).
        temperature: Sampling temperature asked for.
        timeout: Seconds to wait for one answer.
        max_tokens: Longest answer asked for.
    """

    name: ClassVar[str] = "llm"
    external: ClassVar[bool] = True  # calls out to a server: never in a tournament unless named
    citation: ClassVar[str] = (
        "Bianchi et al. (2024), How well can LLMs negotiate? NegotiationArena, ICML; "
        "Abdelnabi et al. (2024), LLM-stakeholders interactive negotiation, NeurIPS D&B"
    )
    url: str = "http://127.0.0.1:8080/v1"
    model: str = "local"
    key_env: str = "OPENAI_API_KEY"
    temperature: float = 0.0
    timeout: float = 120.0
    max_tokens: int = 600

    def __post_init__(self) -> None:
        problems = []
        if not self.url.startswith(("http://", "https://")):
            problems.append(f"url must start with http:// or https:// (got {self.url!r})")
        if not 0.0 <= self.temperature <= 2.0:
            problems.append(f"temperature must be in 0..2 (got {self.temperature})")
        if not self.timeout > 0:
            problems.append(f"timeout must be > 0 seconds (got {self.timeout})")
        if not 16 <= self.max_tokens <= 32_000:
            problems.append(f"max_tokens must be in 16..32000 (got {self.max_tokens})")
        if problems:
            raise ValueError("; ".join(problems))

    def start(self, brief: Brief, rng: np.random.Generator) -> Negotiator:
        """A conversation with the model for one run."""
        if brief.n_draws != 1:
            raise LanguageModelError(
                f"the llm agent plays the stated stances only (one draw), not {brief.n_draws}"
                " Monte Carlo draws"
            )
        return ChatNegotiator(self, brief, self._client(), seed=int(rng.integers(2**31 - 1)))

    def _client(self) -> Any:
        try:
            from openai import OpenAI
        except ImportError:
            raise LanguageModelError(
                "the llm agent needs the openai client: pip install 'zopa[llm]'"
            ) from None
        key = os.environ.get(self.key_env) or "unused"  # local servers accept any key
        return OpenAI(base_url=self.url, api_key=key, timeout=self.timeout, max_retries=1)


def answer_schema(issue_ids: tuple[str, ...]) -> dict[str, Any]:
    """The JSON schema every answer must follow."""
    return {
        "type": "object",
        "properties": {
            "move": {"type": "string", "enum": list(MOVES)},
            "package": {
                "type": "object",
                "properties": {i: {"type": "number"} for i in issue_ids},
                "required": list(issue_ids),
                "additionalProperties": False,
            },
            "message": {"type": "string"},
        },
        "required": ["move", "message"],
        "additionalProperties": False,
    }


def parse_answer(
    text: str, table: Table, open_moves: frozenset[Move]
) -> tuple[Move, np.ndarray | None, str, str]:
    """Read one answer: (move, levels of the package or None, message, error).

    ``error`` is "" for a usable answer; otherwise it says what is wrong, in words the
    model is shown on the re-prompt.
    """
    if len(text) > MAX_REPLY:
        return Move.PASS, None, "", f"the answer is longer than {MAX_REPLY} characters"
    body = text.strip()
    if body.startswith("```"):  # a fenced block: read what is inside
        body = body.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        return Move.PASS, None, "", f"not a JSON object ({exc.msg} at character {exc.pos})"
    if not isinstance(data, dict):
        return Move.PASS, None, "", "not a JSON object"
    message = data.get("message", "")
    message = message if isinstance(message, str) else json.dumps(message)
    name = data.get("move")
    if name not in MOVES:
        return (
            Move.PASS,
            None,
            message,
            (f"move must be one of {', '.join(MOVES)} (got {json.dumps(name)})"),
        )
    move = MOVES[name]
    if move not in open_moves:
        allowed = ", ".join(k for k, v in MOVES.items() if v in open_moves)
        return Move.PASS, None, message, f"{name} is not possible now (possible: {allowed})"
    if move != Move.OFFER:
        return move, None, message, ""
    package = data.get("package")
    if not isinstance(package, dict):
        return Move.PASS, None, message, "an offer needs a package: {issue: value, ...}"
    space = table.space
    wrong = []
    for k, issue in enumerate(table.issue_ids):
        value = package.get(issue)
        lo, hi = float(space.scale_min[k]), float(space.scale_max[k])
        if isinstance(value, bool) or not isinstance(value, int | float):
            wrong.append(f"{issue}: a number on {lo:g}..{hi:g} is needed")
        elif not (math.isfinite(value) and lo <= value <= hi):
            wrong.append(f"{issue}: {value} is off the scale {lo:g}..{hi:g}")
    unknown = sorted(set(package) - set(table.issue_ids))
    if unknown:
        wrong.append(f"unknown issue(s) {', '.join(map(str, unknown))}")
    if wrong:
        return Move.PASS, None, message, "; ".join(wrong)
    return move, table.levels_of({i: float(package[i]) for i in table.issue_ids}), message, ""


class ChatNegotiator:
    """One party's conversation with the model during one run."""

    def __init__(self, agent: LanguageModel, brief: Brief, client: Any, *, seed: int) -> None:
        self.agent = agent
        self.brief = brief
        self.client = client
        self.seed = seed
        self.system = system_prompt(brief)
        self.schema = answer_schema(brief.table.issue_ids)
        self._reply = ""
        self._error = ""
        self._schema_ok = True

    def act(self, turn: Turn) -> Actions:
        """Ask the model; return its answer as actions (an unusable answer is refused)."""
        table = self.brief.table
        messages = [
            {"role": "system", "content": self.system},
            {"role": "user", "content": situation(self.brief, turn)},
        ]
        if turn.feedback is not None:
            reason = self._error or turn.feedback[0] or "the protocol refused it"
            messages += [
                {"role": "assistant", "content": self._reply},
                {
                    "role": "user",
                    "content": f"That answer cannot be used: {reason}. Answer again with one "
                    "JSON object as described.",
                },
            ]
        self._reply = self._complete(messages)
        move, levels, message, error = parse_answer(self._reply, table, turn.open_moves)
        self._error = error
        offer = np.full((1, len(table.issue_ids)), -1, dtype=np.intp)
        if levels is not None:
            offer[0] = levels
        if error:
            snippet = " ".join(self._reply.split())[:300]
            message = f"[unusable answer: {error}] {snippet}"
        return Actions(np.array([move], dtype=np.int8), offer, (message,))

    def _complete(self, messages: list[dict[str, str]]) -> str:
        options: dict[str, Any] = {
            "model": self.agent.model,
            "messages": messages,
            "temperature": self.agent.temperature,
            "max_tokens": self.agent.max_tokens,
            "seed": self.seed,
        }
        if self._schema_ok:
            options["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": self.schema},
            }
        try:
            import openai
        except ImportError:  # pragma: no cover - checked when the agent starts
            raise LanguageModelError("the openai client is missing") from None
        try:
            reply = self.client.chat.completions.create(**options)
        except openai.BadRequestError as exc:
            if not self._schema_ok:
                raise LanguageModelError(
                    f"the model at {self.agent.url} refused the request: {exc}"
                ) from None
            self._schema_ok = False  # a server without JSON-schema answers: ask in words only
            return self._complete(messages)
        except openai.APIError as exc:
            raise LanguageModelError(
                f"the model at {self.agent.url} did not answer: {exc}"
            ) from None
        choices = getattr(reply, "choices", None) or []
        content = choices[0].message.content if choices else None
        return content or ""


def system_prompt(brief: Brief) -> str:
    """The party's private brief and the rules of answering."""
    table = brief.table
    space = table.space
    me = space.actor_ids.index(brief.party)
    who = brief.actor.name if brief.actor is not None else brief.party
    required = [p for p, r in zip(table.parties, table.required, strict=True) if r]
    others = len(table.parties) - len(required)
    needs = (
        f"every party's acceptance ({', '.join(required)})"
        if not others
        else (
            (f"{', '.join(required)} and " if required else "")
            + f"{table.quorum:.0%} of the other parties"
        )
    )
    lines = [
        f"You negotiate for {who} (id {brief.party}). Parties at the table: "
        f"{', '.join(table.parties)}. Agreement needs {needs}. The talks end without "
        f"agreement after {table.deadline} rounds.",
        "",
        "Issues (a package sets one value on every issue; values are moved to the nearest "
        "level listed):",
    ]
    stances = {s.issue: s for s in brief.stances}
    for k, issue in enumerate(table.issue_ids):
        levels = ", ".join(f"{v:g}" for v in space.levels[k])
        sq = space.status_quo[k]
        without = "no status quo" if math.isnan(sq) else f"status quo {sq:g}"
        scale = f"{float(space.scale_min[k]):g}..{float(space.scale_max[k]):g}"
        lines.append(f"- {issue}: scale {scale}; levels {levels}; {without}.")
    lines += ["", "Your private brief (the other parties do not see it):"]
    for k, issue in enumerate(table.issue_ids):
        if space.salience[me, k] <= 0:
            continue
        allowed = brief.allowed[k]
        ok = [f"{v:g}" for v, a in zip(space.levels[k], allowed, strict=True) if a]
        red = space.red_line[me, k]
        text = (
            f"- {issue}: you want {space.position[me, k]:g}; it matters {space.salience[me, k]:g}"
            " to you (0..1)"
        )
        if not math.isnan(red):
            text += f"; red line {red:g}: you never accept a package outside {', '.join(ok)}"
        stance = stances.get(issue)
        if stance is not None and stance.notes:
            text += f". Note: {stance.notes}"
        lines.append(text + ".")
    if brief.sources:
        lines.append("Sources of your brief: " + "; ".join(s.title for s in brief.sources) + ".")
    lines += [
        f"Without agreement your score is {float(brief.no_deal[0]):.3f} (1 = everything you "
        "want). Accept only what is worth more to you than no agreement.",
        "",
        'Answer with ONE JSON object and nothing else: {"move": "offer" | "accept" | '
        '"walk_away", "package": {"<issue>": <value>, ...} (every issue, only with '
        '"offer"), "message": "<one or two sentences to the other parties>"}.',
    ]
    return "\n".join(lines)


def situation(brief: Brief, turn: Turn) -> str:
    """The public record and what this turn allows."""
    table = brief.table
    lines = [f"Round {turn.round + 1} of {turn.deadline}."]
    record = turn.record.records(table) if turn.record.steps else []
    if record:
        lines.append("What has happened (oldest first):")
        for r in record[-30:]:
            package = r.get("package")
            pkg = "" if not package else " " + json.dumps(package)
            said = f' — "{r["message"]}"' if r.get("message") else ""
            lines.append(f"- round {r['round'] + 1}, {r['party']}: {r['move']}{pkg}{said}")
    if turn.standing is not None and turn.standing[0, 0] >= 0:
        source = turn.standing_from
        by = (
            "the mediator"
            if source is None or int(source[0]) < 0
            else table.parties[int(source[0])]
        )
        package = table.package_dict(turn.standing[0])
        score = float(brief.value(turn.standing[:1])[0])
        lines.append(
            f"On the table (from {by}): {json.dumps(package)}; your score of it {score:.3f}."
        )
    if turn.proposals is not None:
        for p, party in enumerate(table.parties):
            row = turn.proposals[0, p]
            if row[0] >= 0:
                lines.append(f"Current proposal of {party}: {json.dumps(table.package_dict(row))}.")
    possible = ", ".join(k for k, v in MOVES.items() if v in turn.open_moves)
    lines.append(f"Your possible moves now: {possible}.")
    return "\n".join(lines)
