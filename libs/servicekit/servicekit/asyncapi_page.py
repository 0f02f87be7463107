"""A plain, accessible HTML page of an AsyncAPI 3.0 document built by servicekit.asyncapi.

Rendered once, when the document is generated, and checked in beside it: the page needs no
script, no web font and nothing from a CDN, so it reads the same offline, in a screen reader and
on an intranet with no way out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from html import escape
from typing import Any

STYLE = """
body { font: 1rem/1.5 system-ui, sans-serif; color: #1d1d1d; background: #fff; margin: 0; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #ffdd00; color: #000; padding: .5rem; }
header, main, nav { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
h1 { margin-top: 1.5rem; }
h2 { border-top: 2px solid #005eb8; padding-top: 1rem; margin-top: 2.5rem; }
h3 { margin-top: 2rem; }
a { color: #005eb8; } a:focus { outline: 3px solid #ffdd00; background: #ffdd00; color: #000; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #aeb7bd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f4f5; }
code { font-family: ui-monospace, monospace; font-size: .95em; }
pre { background: #f0f4f5; border: 1px solid #aeb7bd; padding: .75rem; overflow-x: auto; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; }
""".strip()


HEADING = {"CloudEventsHeaders": "CloudEvents headers", "DeadLetterHeaders": "Dead-letter headers"}


def render_page(document: Mapping[str, Any], *, yaml_href: str, json_href: str) -> str:
    """The page for `document`; `yaml_href` and `json_href` link to the document itself."""
    info = document["info"]
    schemas = document.get("components", {}).get("schemas", {})
    messages = document.get("components", {}).get("messages", {})
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(info['title'])}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the topics</a>',
        "<header>",
        f"<h1>{escape(info['title'])}</h1>",
        *_paragraphs(info.get("description", "")),
        f"<p>Document version {escape(info['version'])}, AsyncAPI {escape(document['asyncapi'])}. "
        f'The same document as <a href="{escape(yaml_href)}">YAML</a> or '
        f'<a href="{escape(json_href)}">JSON</a>, for code generators and tools.</p>',
        "</header>",
        '<nav aria-labelledby="contents">',
        '<h2 id="contents">Topics</h2>',
        "<ul>",
    ]
    for channel_id, channel in document["channels"].items():
        parts.append(f'<li><a href="#{_anchor(channel_id)}">{escape(channel["address"])}</a><ul>')
        for message_id in channel["messages"]:
            message = messages[message_id]
            parts.append(
                f'<li><a href="#{_anchor(message_id)}">{escape(message["title"])}</a></li>'
            )
        parts.append("</ul></li>")
    parts += ["</ul>", "</nav>", '<main id="main">']
    parts += _servers(document.get("servers", {}))
    parts += _headers_section(schemas)
    for channel_id, channel in document["channels"].items():
        parts += _channel(channel_id, channel, messages, schemas)
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _servers(servers: Mapping[str, Any]) -> Iterator[str]:
    if not servers:
        return
    yield '<h2 id="servers">Servers</h2>'
    for name, server in servers.items():
        yield f"<h3>{escape(name)}</h3>"
        yield "<dl>"
        yield f"<dt>Protocol</dt><dd>{escape(server['protocol'])}</dd>"
        yield f"<dt>Host</dt><dd><code>{escape(server['host'])}</code></dd>"
        yield "</dl>"
        yield from _paragraphs(server.get("description", ""))
        for variable, spec in server.get("variables", {}).items():
            yield (
                f"<p><code>{{{escape(variable)}}}</code>: {_inline(spec.get('description', ''))} "
                f"Default <code>{escape(str(spec.get('default', '')))}</code>.</p>"
            )


def _headers_section(schemas: Mapping[str, Any]) -> Iterator[str]:
    for name in HEADING:
        if name not in schemas:
            continue
        schema = schemas[name]
        yield f'<h2 id="{_anchor(name)}">{_split_words(name)}</h2>'
        yield from _paragraphs(schema.get("description", ""))
        yield from _fields_table("Record headers", schema, schemas)


def _channel(
    channel_id: str,
    channel: Mapping[str, Any],
    messages: Mapping[str, Any],
    schemas: Mapping[str, Any],
) -> Iterator[str]:
    kafka = channel.get("bindings", {}).get("kafka", {})
    yield f'<h2 id="{_anchor(channel_id)}">Topic <code>{escape(channel["address"])}</code></h2>'
    yield from _paragraphs(channel.get("description", ""))
    yield "<dl>"
    yield f"<dt>Partitions</dt><dd>{kafka.get('partitions', 'not fixed')}</dd>"
    if "replicas" in kafka:
        yield f"<dt>Copies of each partition</dt><dd>{kafka['replicas']}</dd>"
    for setting, value in kafka.get("topicConfiguration", {}).items():
        yield f"<dt><code>{escape(setting)}</code></dt><dd>{escape(str(value))}</dd>"
    yield "</dl>"
    for message_id in channel["messages"]:
        yield from _message(message_id, messages[message_id], schemas)


def _message(
    message_id: str, message: Mapping[str, Any], schemas: Mapping[str, Any]
) -> Iterator[str]:
    yield f'<h3 id="{_anchor(message_id)}">{escape(message["title"])}</h3>'
    yield from _paragraphs(message.get("summary", ""))
    payload = _resolve(message["payload"], schemas)
    summary = " ".join(message.get("summary", "").split())
    # A payload's description opens with the class's docstring, which is already the summary.
    rest = [
        paragraph
        for paragraph in payload.get("description", "").split("\n\n")
        if " ".join(paragraph.split()) != summary
    ]
    yield from _paragraphs("\n\n".join(rest))
    headers = message["headers"]
    fixed = {
        name: spec["const"]
        for part in headers.get("allOf", [])
        for name, spec in part.get("properties", {}).items()
        if "const" in spec
    }
    header_schema = _ref_name(headers) or _ref_name(headers.get("allOf", [{}])[0])
    yield "<dl>"
    for name, value in fixed.items():
        yield f"<dt><code>{escape(name)}</code></dt><dd><code>{escape(str(value))}</code></dd>"
    if header_schema:
        yield (
            f'<dt>Headers</dt><dd><a href="#{_anchor(header_schema)}">'
            f"{_split_words(header_schema)}</a></dd>"
        )
    key = message.get("bindings", {}).get("kafka", {}).get("key", {})
    if key:
        yield f"<dt>Kafka key</dt><dd>{_inline(key.get('description', ''))}</dd>"
    yield "</dl>"
    if "properties" in payload:
        yield from _fields_table(
            "Payload fields (the record value, a JSON object)", payload, schemas
        )
    for example in message.get("examples", []):
        yield f"<h4>Example: {_inline(example.get('summary', example.get('name', '')))}</h4>"
        if "headers" in example:
            yield f"<p>Headers</p>\n<pre><code>{escape(_json(example['headers']))}</code></pre>"
        if "payload" in example:
            yield f"<p>Value</p>\n<pre><code>{escape(_json(example['payload']))}</code></pre>"


def _fields_table(
    caption: str, schema: Mapping[str, Any], schemas: Mapping[str, Any]
) -> Iterator[str]:
    required = set(schema.get("required", []))
    properties = schema.get("properties", {})
    meanings = {name: _meaning(prop, schemas) for name, prop in properties.items()}
    explained = any(meanings.values())  # a column of blanks only makes a screen reader say "blank"
    yield "<table>"
    yield f"<caption>{escape(caption)}</caption>"
    yield (
        '<thead><tr><th scope="col">Name</th><th scope="col">Type</th>'
        '<th scope="col">Always present</th>'
        + ('<th scope="col">Meaning</th>' if explained else "")
        + "</tr></thead>"
    )
    yield "<tbody>"
    for name, prop in properties.items():
        yield (
            f'<tr><th scope="row"><code>{escape(name)}</code></th>'
            f"<td>{_type_of(prop, schemas)}</td>"
            f"<td>{'yes' if name in required else 'no'}</td>"
            + (f"<td>{_inline(meanings[name])}</td>" if explained else "")
            + "</tr>"
        )
    yield "</tbody>"
    yield "</table>"


def _meaning(prop: Mapping[str, Any], schemas: Mapping[str, Any]) -> str:
    return str(prop.get("description") or _resolve(prop, schemas).get("description") or "")


def _type_of(prop: Mapping[str, Any], schemas: Mapping[str, Any]) -> str:
    prop = _resolve(prop, schemas)
    if "const" in prop:
        return f"always <code>{escape(str(prop['const']))}</code>"
    if "enum" in prop:
        return "one of " + ", ".join(f"<code>{escape(str(value))}</code>" for value in prop["enum"])
    if "anyOf" in prop:
        branches = [branch for branch in prop["anyOf"] if branch.get("type") != "null"]
        nullable = len(branches) < len(prop["anyOf"])
        text = " or ".join(_type_of(branch, schemas) for branch in branches)
        return f"{text} or null" if nullable else text
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}), schemas)}"
    if "format" in prop:
        return f"{escape(kind)} ({escape(prop['format'])})"
    if "pattern" in prop:
        return f"{escape(kind)} matching <code>{escape(prop['pattern'])}</code>"
    return escape(str(kind))


def _resolve(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> Mapping[str, Any]:
    name = _ref_name(schema)
    return schemas[name] if name else schema


def _ref_name(schema: Mapping[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _paragraphs(text: str) -> Iterator[str]:
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            yield f"<p>{_inline(' '.join(paragraph.split()))}</p>"


def _inline(text: str) -> str:
    """Escaped text with `code` spans, the only markup our descriptions use."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def _anchor(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _split_words(name: str) -> str:
    return escape(HEADING.get(name, name))


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
