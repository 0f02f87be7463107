"""Service users read the API's descriptions: every type, field, argument and enum value has one."""

from graphql import GraphQLInputObjectType, GraphQLObjectType
from projects.schema import build_schema

# Federation's own machinery (and the root types) are not ours to describe.
FEDERATION = {
    "_Service",
    "_Entity",
    "_Any",
    "_FieldSet",
    "link__Purpose",
    "link__Import",
    "Query._service",
    "Query._entities",
    "Query",
    "Mutation",
}


def test_every_type_field_and_argument_is_described() -> None:
    schema = build_schema()._schema
    missing = []
    for name, kind in schema.type_map.items():
        if (
            name.startswith("__")
            or name in FEDERATION
            or name in {"String", "Boolean", "Int", "Float", "ID"}
        ):
            continue
        if not kind.description and name not in FEDERATION:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                path = f"{name}.{field_name}"
                if path in FEDERATION:
                    continue
                if not field.description:
                    missing.append(path)
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{path}({arg_name})")
    assert missing == []
