/**
 * Apollo Gateway over groups of our conformance subgraphs: the reference our gateway is compared with.
 *
 * Usage: node apollo_gateway.mjs [config.json]      (without an argument the config is read from stdin)
 *
 *   {"groups": {"<group>": {"<subgraph name>": "<subgraph url>", ...}, ...}}
 *
 * Each group gets its own Apollo Gateway, built with IntrospectAndCompose so that Apollo composes the
 * subgraphs itself from `_service { sdl }`, in its own Apollo Server on a loopback port the system
 * chooses (port 0: no race with other servers for a probed port). When every group is ready, ONE line
 * goes to stdout and the process runs until killed:
 *
 *   {"ready": {"<group>": "http://127.0.0.1:PORT/", ...}}
 *
 * A group may instead be given a supergraph SDL (`"supergraphs": {"<group>": "<supergraph SDL>"}`, e.g.
 * the output of `python -m gateway compose --print`): that group's Apollo Gateway then runs from the
 * file, as an operator's own router would, calling the subgraphs at the URLs the file names.
 *
 * Everything else, logs included, goes to stderr. If any group fails to compose (or to start), its
 * errors go to stderr, every group being tried first so all refusals are seen, and the exit code is 1.
 *
 * Subgraph request count: every response carries `extensions.subgraphRequests`, the number of HTTP
 * requests that one client request made the gateway send to subgraphs. It is counted in the request's
 * own context, so concurrent requests do not mix.
 *
 * Plain mode (`"plain": true` in the config, for benchmarks): no request counting, no plan exposure;
 * Apollo Gateway as a production deployment would run it. `"subgraphHeaders": {name: value}` are sent
 * with every subgraph request (e.g. the network's gateway secret) and `"forwardHeaders": [name]` are
 * copied from the client's request (e.g. authorization), as a deployment in front of our services does.
 *
 * Query plan: send the header `Apollo-Query-Plan-Experimental: 1` with a request (the gateway is built
 * with `__exposeQueryPlanExperimental: true`) and the response carries
 * `extensions.__queryPlanExperimental`: the plan as Apollo prints it (`QueryPlan { Fetch(service: ...)
 * ... }`), or `true` when nothing needs a subgraph (introspection). Add the header
 * `Apollo-Query-Plan-Experimental-Format: internal` to get the plan as a JSON object instead.
 */

import { readFileSync } from 'node:fs';

import apolloGateway from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';

// A CommonJS package whose exports Node cannot all name statically (`export *` of its datasources).
const { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } = apolloGateway;

// GraphQLDataSourceRequestKind.INCOMING_OPERATION: the enum is in the typings, not in the runtime exports.
const INCOMING_OPERATION = 'incoming operation';

// stdout carries only the ready line: whatever a library prints goes to stderr with the logs.
const writeStdout = process.stdout.write.bind(process.stdout);
console.log = console.error;
console.info = console.error;

const logger = {
  debug() {},
  info: (message) => console.error(message),
  warn: (message) => console.error(message),
  error: (message) => console.error(message),
};

/** Counts, in the client request's context, the requests sent to subgraphs on its behalf. */
class CountingDataSource extends RemoteGraphQLDataSource {
  willSendRequest(options) {
    // Loading `_service { sdl }` at startup is not a client request's doing.
    if (options.kind === INCOMING_OPERATION) {
      options.context.subgraphRequests += 1;
    }
  }
}

const reportSubgraphRequests = {
  async requestDidStart({ contextValue }) {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind === 'single') {
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, subgraphRequests: contextValue.subgraphRequests };
        }
      },
    };
  },
};

/** Sends fixed headers with every subgraph request and forwards chosen ones from the client. */
function headerDataSource(fixed, forwarded) {
  return class extends RemoteGraphQLDataSource {
    willSendRequest({ request, context }) {
      for (const [name, value] of Object.entries(fixed)) {
        request.http.headers.set(name, value);
      }
      for (const name of forwarded) {
        const value = context.headers?.[name];
        if (value) {
          request.http.headers.set(name, value);
        }
      }
    }
  };
}

async function startGroup(subgraphs, plain, fixed, forwarded) {
  const HeaderDataSource = headerDataSource(fixed, forwarded);
  const gateway = new ApolloGateway({
    // A string is a supergraph file's SDL; a name -> URL map is composed here from `_service { sdl }`.
    supergraphSdl: typeof subgraphs === 'string' ? subgraphs : new IntrospectAndCompose({
      subgraphs: Object.entries(subgraphs).map(([name, url]) => ({ name, url })),
      introspectionHeaders: fixed,
    }),
    ...(plain ? { buildService: ({ url }) => new HeaderDataSource({ url }) } : {
      buildService: ({ url }) => new CountingDataSource({ url }),
      __exposeQueryPlanExperimental: true,
    }),
    logger,
  });
  const server = new ApolloServer({
    gateway,
    logger,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginUsageReportingDisabled(), ...(plain ? [] : [reportSubgraphRequests])],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => ({ subgraphRequests: 0, headers: req.headers }),
  });
  return url;
}

function readConfig() {
  const path = process.argv[2];
  return JSON.parse(readFileSync(path ?? 0, 'utf8')); // fd 0: stdin
}

async function main() {
  const { groups: composed, supergraphs = {}, plain = false, subgraphHeaders = {}, forwardHeaders = [] } = readConfig();
  const groups = { ...composed, ...supergraphs };
  const names = Object.keys(groups);
  const started = await Promise.allSettled(names.map((name) => startGroup(groups[name], plain, subgraphHeaders, forwardHeaders)));
  const failed = names.filter((_, i) => started[i].status === 'rejected');
  if (failed.length > 0) {
    for (const name of failed) {
      const { reason } = started[names.indexOf(name)];
      console.error(`group ${name}: ${reason?.message ?? reason}`);
    }
    console.error(`Apollo Gateway could not start groups: ${failed.join(', ')}`);
    process.exit(1);
  }
  const ready = Object.fromEntries(names.map((name, i) => [name, started[i].value]));
  writeStdout(`${JSON.stringify({ ready })}\n`);
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  process.exit(1);
});
