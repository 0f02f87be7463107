// Parses an AsyncAPI document with the official parser and prints its diagnostics as JSON:
// [{"severity": 0|1|2|3, "code": ..., "message": ..., "path": [...]}, ...] (0 is an error).
// Usage: node validate.mjs path/to/asyncapi.yaml  (run where node_modules holds @asyncapi/parser)
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";

const path = process.argv[2];
const source = await readFile(path, "utf8");
const { document, diagnostics } = await new Parser().parse(source, { source: path });
process.stdout.write(JSON.stringify({
  parsed: document !== undefined,
  version: document?.version() ?? null,
  diagnostics: diagnostics.map((d) => ({
    severity: d.severity, code: d.code, message: d.message, path: d.path,
  })),
}));
