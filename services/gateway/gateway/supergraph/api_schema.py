"""The public API schema: the supergraph without federation machinery or @inaccessible parts."""

from __future__ import annotations

import json

from graphql import GraphQLSchema, build_schema

from gateway.supergraph.model import ArgDef, FieldDef, TypeDef

BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})


def _description(text: str | None, indent: str = "") -> str:
    if not text:
        return ""
    return f"{indent}{json.dumps(text)}\n"


def _args(args: dict[str, ArgDef]) -> str:
    visible = [a for a in args.values() if not a.inaccessible]
    if not visible:
        return ""
    parts = []
    for arg in visible:
        default = f" = {arg.default}" if arg.default is not None else ""
        description = f"{json.dumps(arg.description)} " if arg.description else ""
        parts.append(f"{description}{arg.name}: {arg.type}{default}")
    return "(" + ", ".join(parts) + ")"


def _fields(fields: dict[str, FieldDef], hidden: set[str]) -> str:
    lines = []
    for field in fields.values():
        if field.inaccessible or field.named_type in hidden:
            continue
        lines.append(f"{_description(field.description, '  ')}  {field.name}{_args(field.args)}: {field.type}")
    return "\n".join(lines)


def api_sdl(types: dict[str, TypeDef], roots: dict[str, str]) -> str:
    hidden = {name for name, t in types.items() if t.inaccessible}
    blocks = ["schema {\n" + "\n".join(f"  {op}: {name}" for op, name in roots.items()) + "\n}"]
    for definition in sorted(types.values(), key=lambda t: t.name):
        if definition.inaccessible or definition.name in BUILTIN_SCALARS:
            continue
        head = _description(definition.description)
        if definition.kind in ("object", "interface"):
            interfaces = [i for i in definition.interfaces if i not in hidden]
            implements = f" implements {' & '.join(interfaces)}" if interfaces else ""
            body = _fields(definition.fields, hidden)
            if not body:
                continue
            keyword = "type" if definition.kind == "object" else "interface"
            blocks.append(f"{head}{keyword} {definition.name}{implements} {{\n{body}\n}}")
        elif definition.kind == "union":
            members = [m for m in definition.members if m not in hidden]
            blocks.append(f"{head}union {definition.name} = {' | '.join(members)}")
        elif definition.kind == "enum":
            values = "\n".join(f"{_description(v.description, '  ')}  {v.name}"
                               for v in definition.values.values() if not v.inaccessible)
            blocks.append(f"{head}enum {definition.name} {{\n{values}\n}}")
        elif definition.kind == "input":
            fields = "\n".join(
                f"{_description(a.description, '  ')}  {a.name}: {a.type}"
                + (f" = {a.default}" if a.default is not None else "")
                for a in definition.input_fields.values() if not a.inaccessible
            )
            blocks.append(f"{head}input {definition.name} {{\n{fields}\n}}")
        elif definition.kind == "scalar":
            blocks.append(f"{head}scalar {definition.name}")
    return "\n\n".join(blocks) + "\n"


def build_api_schema(types: dict[str, TypeDef], roots: dict[str, str]) -> tuple[GraphQLSchema, str]:
    sdl = api_sdl(types, roots)
    return build_schema(sdl), sdl
