// Composes subgraph SDLs with Apollo's own composition (@apollo/composition), as a partner's
// Apollo Router would: reads {"<name>": "<sdl>", ...} on stdin, prints {"errors": [...]} as JSON.
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const sdls = JSON.parse(input);
const result = composeServices(
  Object.entries(sdls).map(([name, sdl]) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(sdl) })),
);
process.stdout.write(JSON.stringify({ errors: (result.errors ?? []).map((e) => e.message) }));
