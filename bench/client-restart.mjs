// The time from a server restart to a fully recovered client (issue 19), for the JavaScript client on Node.js:
//   node bench/client-restart.mjs [rounds]        after ./dev.sh test (it uses build/server/herald-server)
// Two herald-servers share a redis-server. The client is connected to the first, in channel "feed"; the first is
// killed (SIGKILL: no notice, no close frame), three notifications are published on the second, and the first is
// started again on the same port. Measured: from the restarted server's readiness (its "server_started" line) to
// the client's "recovery" event saying recovered with all three replayed, with the client's default back-off
// (500 ms doubling to 30 s, 50% jitter) and with a quick one (50 ms to 250 ms). Prints one line per setting: the
// median, min and max over the rounds.
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const WebSocket = require("../clients/js/node_modules/ws");
const { HeraldClient } = await import("../clients/js/dist/index.js");
const { startHerald, startRedis, nextEvent } = await import("../clients/js/test/support/herald.mjs");

const rounds = Number(process.argv[2] ?? 5);
const settings = { default: undefined, quick: { initialDelayMs: 50, maxDelayMs: 250 } };
const redis = await startRedis();
const results = {};
try {
  for (const [name, reconnect] of Object.entries(settings)) {
    results[name] = [];
    for (let round = 0; round < rounds; ++round) {
      const env = { REDIS_URL: redis.url, REDIS_CHANNEL: `restart-${name}-${round}`, SHUTDOWN_TIMEOUT: "5" };
      let server = await startHerald({ env });
      const port = server.port;
      const other = await startHerald({ env });
      const client = new HeraldClient({ url: server.wsUrl, WebSocket, channels: ["feed"], reconnect });
      const connected = nextEvent(client, "state", 10_000, (s) => s === "connected");
      client.connect();
      await connected;
      await server.notify({ message: "before", channel: "feed" });
      await nextEvent(client, "notification", 5000);
      await server.stop("SIGKILL");
      for (const message of ["m1", "m2", "m3"]) await other.notify({ message, channel: "feed" });
      const recovered = nextEvent(client, "recovery", 60_000, (r) => r.stream === "feed");
      server = await startHerald({ port, env });
      const ready = performance.now();
      const recovery = await recovered;
      const elapsed = performance.now() - ready;
      if (!recovery.recovered || recovery.replayed !== 3) throw new Error(`round ${round}: ${JSON.stringify(recovery)}`);
      results[name].push(elapsed);
      client.close();
      await server.stop();
      await other.stop();
    }
  }
} finally {
  await redis.stop();
}
for (const [name, values] of Object.entries(results)) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `${name} back-off: restart to recovered (3 replayed) median ${median.toFixed(1)} ms, min ${sorted[0].toFixed(1)}, ` +
      `max ${sorted.at(-1).toFixed(1)} over ${values.length} rounds`,
  );
}
