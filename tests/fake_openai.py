"""A fake OpenAI-compatible chat server on loopback that answers from a script.

Each server answers ``POST /v1/chat/completions`` with the next scripted reply (a string
becomes the assistant's message; an int is sent as that HTTP error status) and keeps
every request body, so that tests can check what the model was shown. It never calls
a real model.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeChatServer:
    """A scripted chat endpoint at ``self.url`` (use as a context manager)."""

    def __init__(self, replies: list[str | int], *, refuse_schema: bool = False) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        self.refuse_schema = refuse_schema
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(body)
                if server.refuse_schema and "response_format" in body:
                    self._send(400, {"error": {"message": "response_format not supported"}})
                    return
                reply = server.replies.pop(0) if server.replies else 500
                if isinstance(reply, int):
                    self._send(reply, {"error": {"message": f"scripted status {reply}"}})
                    return
                self._send(
                    200,
                    {
                        "id": f"fake-{len(server.requests)}",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": reply},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _send(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def prompt(self, k: int) -> str:
        """The text of every message of request ``k``, joined."""
        return "\n".join(m["content"] for m in self.requests[k]["messages"])
