"""`graphmem mcp` end to end: the SDK's client spawns `python -m graphmem mcp` and calls every tool.

The memory is the demo conversation (graphmem/data/demo_conversation.json); expected answers come
from that file's questions, so nothing here is written for the MCP layer alone.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from graphmem.demo import DEMO_NAMESPACE, load_conversation
from graphmem.model import entity_key

from .conftest import TOOLS, child_env, error_text, graphmem_command, ok


def _client(store: Path, log: Path) -> Client:
    command = graphmem_command("--path", str(store), "-n", DEMO_NAMESPACE, "mcp")
    params = StdioServerParameters(command=command[0], args=command[1:], env=child_env())
    return Client(stdio_client(params, errlog=log.open("w")), read_timeout_seconds=240)


def test_every_tool_over_stdio(demo_store: Path, tmp_path: Path) -> None:
    questions = {q["question"]: q for q in load_conversation()["questions"]}
    log = tmp_path / "mcp.log"

    async def session() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        async with _client(demo_store, log) as client:
            listed = (await client.list_tools()).tools
            assert {t.name for t in listed} == TOOLS
            for tool in listed:  # what an LLM reads to choose and fill a tool
                assert tool.description and len(tool.description) < 400, tool.name
                assert tool.output_schema is not None, tool.name
                for name, prop in tool.input_schema.get("properties", {}).items():
                    assert prop.get("description"), f"{tool.name}.{name} has no description"

            hop = questions["Where does Maria's sister live?"]
            recall = ok(await client.call_tool("recall", {"query": hop["question"], "k": 5}))
            top = recall["facts"][0]
            assert entity_key(top["object"]) == entity_key(hop["answer"])
            assert top["episodes"], "a recalled fact names the episodes it came from"
            chains = [p["entities"] for p in recall["paths"]]
            assert [entity_key(e) for e in hop["path"]] in [[entity_key(e) for e in c] for c in chains]
            assert hop["answer"] in recall["context"]
            seen["recall"] = recall

            moved = questions["Where does Maria live?"]
            current = ok(await client.call_tool("facts", {"subject": "Maria", "predicate": "lives_in"}))
            assert [entity_key(f["object"]) for f in current] == [entity_key(moved["answer"])]
            chain = ok(await client.call_tool("history", {"subject": "Maria", "predicate": "lives_in"}))
            assert [entity_key(e["fact"]["object"]) for e in chain] == [
                *(entity_key(b) for b in moved["before"]),
                entity_key(moved["answer"]),
            ]
            assert chain[0]["fact"]["status"] == "superseded" and chain[0]["rule"]
            before = chain[0]["fact"]["valid_from"]
            then = ok(
                await client.call_tool(
                    "facts", {"subject": "Maria", "predicate": "lives_in", "as_of": before}
                )
            )
            assert [entity_key(f["object"]) for f in then] == [entity_key(moved["before"][0])]
            seen["facts"], seen["history"], seen["as_of"] = current, chain, then

            maria = ok(await client.call_tool("entity", {"name": "Maria"}))
            assert maria["name"] == "Maria" and maria["facts"]
            plan = ok(await client.call_tool("explain", {"query": hop["question"]}))
            assert plan["depth"] >= 2
            stats = ok(await client.call_tool("stats", {}))
            assert stats["namespace"] == DEMO_NAMESPACE and stats["counts"]["episodes"] == len(
                load_conversation()["messages"]
            )
            seen["entity"], seen["explain"], seen["stats"] = maria, plan, stats

            useful = ok(await client.call_tool("feedback", {"ids": [top["id"]], "useful": True}))
            assert useful["utility"][top["id"]] > 0
            opened = ok(
                await client.call_tool(
                    "start_session", {"session_id": "plan-trip", "goal": "plan a visit to Anna"}
                )
            )
            added = ok(
                await client.call_tool(
                    "remember",
                    {
                        "content": "I booked a train to Porto for May.",
                        "speaker": "Maria",
                        "session": "plan-trip",
                        "id": "mcp-1",
                        "timestamp": "2024-04-02T09:00:00Z",
                    },
                )
            )
            assert added["episode_ids"] == ["mcp-1"]
            again = ok(
                await client.call_tool(
                    "remember",
                    {"content": "I booked a train to Porto for May.", "speaker": "Maria", "id": "mcp-1"},
                )
            )
            assert again["episode_ids"] == [] and again["skipped_episode_ids"] == ["mcp-1"]
            closed = ok(
                await client.call_tool("end_session", {"session_id": "plan-trip", "outcome": "success"})
            )
            assert closed["outcome"] == "success" and opened["goal"] == "plan a visit to Anna"
            lesson = ok(
                await client.call_tool(
                    "add_insight", {"text": "Maria travels to Porto by train.", "derived_from": ["mcp-1"]}
                )
            )
            assert lesson["derived_from"] == ["mcp-1"]
            profile = await client.read_resource(f"graphmem://{DEMO_NAMESPACE}/entity/Maria")
            text = profile.contents[0].text  # type: ignore[union-attr]
            assert text.startswith("# Maria") and entity_key(moved["answer"]) in entity_key(text)
            deleted = ok(await client.call_tool("forget", {"episode_id": "mcp-1"}))
            assert deleted["episodes"] == 1
            after = ok(await client.call_tool("stats", {}))["counts"]
            seen.update(
                feedback=useful,
                start_session=opened,
                remember=added,
                end_session=closed,
                add_insight=lesson,
                forget=deleted,
                profile=text,
            )

            # Mistakes are tool errors with a message to act on, and the server keeps serving.
            assert "no entity 'Nobody'" in error_text(await client.call_tool("entity", {"name": "Nobody"}))
            assert "invalid namespace" in error_text(await client.call_tool("stats", {"namespace": "../etc"}))
            assert "query is empty" in error_text(await client.call_tool("recall", {"query": "  "}))
            assert "k" in error_text(await client.call_tool("recall", {"query": "x", "k": 0}))
            assert "no fact or insight" in error_text(
                await client.call_tool("feedback", {"ids": ["nope"], "useful": False})
            )
            assert "episode" in error_text(await client.call_tool("forget", {"episode_id": "mcp-1"}))
            assert ok(await client.call_tool("stats", {}))["counts"] == after  # and changed nothing
        return seen

    seen = asyncio.run(asyncio.wait_for(session(), timeout=600))
    assert json.dumps(seen)  # everything a tool returned is plain JSON
