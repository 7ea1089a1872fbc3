// The client against the real herald-server (and a real redis-server), over real WebSockets (the ws package, as a
// Node.js 20 application would pass it).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";

import { HeraldClient, HeraldError } from "../dist/index.js";
import { assertReceivedInOrder, clientToken, nextEvent, startHerald, startRedis, waitUntil } from "./support/herald.mjs";

const quick = { initialDelayMs: 50, maxDelayMs: 200 };

function client(server, options = {}) {
  return new HeraldClient({ url: server.wsUrl, WebSocket, reconnect: quick, ...options });
}

/** Every notification the client hands the application, in order. */
function collect(herald) {
  const received = [];
  herald.on("notification", (n) => received.push(n));
  return received;
}

describe("connecting and channels", () => {
  let server;
  before(async () => (server = await startHerald({ env: { MAX_CHANNELS_PER_CLIENT: "2" } })));
  after(() => server.stop());

  test("connects, receives broadcasts and channel notifications, joins and leaves channels", async () => {
    const herald = client(server, { channels: ["orders.1"] });
    const received = collect(herald);
    const welcome = await herald.connect();
    assert.match(welcome.client_id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(welcome.channels, ["orders.1"]);
    assert.equal(herald.state, "connected");
    assert.equal(herald.clientId, welcome.client_id);

    await server.notify({ message: "to everyone" });
    await server.notify({ message: "to orders.1", channel: "orders.1" });
    await server.notify({ message: "to orders.2", channel: "orders.2" });
    const joined = await herald.subscribe("orders.2");
    assert.equal(joined.channel, "orders.2");
    assert.equal(typeof joined.position.offset, "number");
    await server.notify({ message: "to orders.2 again", channel: "orders.2" });
    await waitUntil(() => received.length === 3, 5000, "three notifications");
    assert.deepEqual(
      received.map((n) => n.message),
      ["to everyone", "to orders.1", "to orders.2 again"],
    );
    assert.equal(received[1].channel, "orders.1");

    await herald.unsubscribe("orders.2");
    assert.deepEqual(herald.channels, ["orders.1"]);
    await server.notify({ message: "not for it", channel: "orders.2" });
    await server.notify({ message: "last", channel: "orders.1" });
    await waitUntil(() => received.length === 4, 5000, "the fourth notification");
    assert.equal(received[3].message, "last");
    herald.close();
    assert.equal(herald.state, "closed");
  });

  test("every refusal is a HeraldError with the server's code, and the promise of the request it refuses rejects", async () => {
    const herald = client(server);
    await herald.connect();
    await assert.rejects(herald.subscribe("not a channel!"), (e) => e instanceof HeraldError && e.code === "invalid_channel");
    await herald.subscribe("a");
    await herald.subscribe("b");
    const errors = [];
    herald.on("error", (e) => errors.push(e));
    await assert.rejects(herald.subscribe("c"), (e) => e.code === "too_many_channels" && e.channel === "c");
    assert.deepEqual(herald.channels, ["a", "b"]); // a refused channel is not kept for the next connection
    assert.equal(errors[0].code, "too_many_channels");
    herald.close();
  });

  test("a subscribe before the connection is up joins at connect", async () => {
    const herald = client(server);
    const joined = herald.subscribe("early");
    const welcome = await herald.connect();
    assert.deepEqual(welcome.channels, ["early"]);
    assert.equal((await joined).channel, "early");
    herald.close();
  });

  test("a channel left while connecting is left once the welcome has joined it", async () => {
    const herald = client(server, { channels: ["gone"] });
    const received = collect(herald);
    const left = nextEvent(herald, "message", 5000, (m) => m.type === "unsubscribed" && m.channel === "gone");
    const welcomed = herald.connect(); // the connection's URL names "gone"
    await herald.unsubscribe("gone");
    assert.deepEqual((await welcomed).channels, ["gone"]);
    await left;
    await server.notify({ message: "not for it", channel: "gone" });
    await server.notify({ message: "for everyone" });
    await waitUntil(() => received.length === 1);
    assert.equal(received[0].message, "for everyone");
    herald.close();
  });

  test("close() ends the connection and refuses what is still open", async () => {
    const herald = client(server);
    const welcomed = herald.connect();
    herald.close();
    await assert.rejects(welcomed, (e) => e.code === "client_closed");
    assert.equal(herald.state, "closed");
  });
});

describe("closes the server makes", () => {
  test("a client over CLIENT_MESSAGE_RATE is told rate_limited (the 1008's reason), and reconnects", async () => {
    const server = await startHerald({ env: { CLIENT_MESSAGE_RATE: "2" } });
    try {
      const herald = client(server);
      await herald.connect();
      const limited = nextEvent(herald, "error", 5000, (e) => e.code === "rate_limited");
      for (let i = 0; i < 20; ++i) herald.ack(`n-${i}`);
      const error = await limited;
      assert.equal(error.closeCode, 1008);
      await nextEvent(herald, "connected", 5000);
      herald.close();
    } finally {
      await server.stop();
    }
  });

  test("SIGTERM: the client hears the shutdown, sees server_shutdown, and is back once the server is", async () => {
    let server = await startHerald({ env: { SHUTDOWN_TIMEOUT: "5" } });
    const port = server.port;
    const herald = client(server);
    await herald.connect();
    const shutdown = nextEvent(herald, "shutdown");
    const disconnected = nextEvent(herald, "disconnected");
    const stopped = server.stop("SIGTERM");
    assert.equal((await shutdown).reason, "SIGTERM");
    const gone = await disconnected;
    assert.equal(gone.error.code, "server_shutdown");
    assert.equal(gone.code, 1001);
    assert.ok(gone.reconnectInMs >= 0);
    assert.equal((await stopped).code, 0);
    // While it is down, attempts fail (connect_failed) and back off.
    await nextEvent(herald, "error", 5000, (e) => e.code === "connect_failed");
    server = await startHerald({ port });
    try {
      const welcome = await nextEvent(herald, "connected", 10_000);
      assert.ok(welcome.client_id);
      herald.close();
    } finally {
      await server.stop();
    }
  });

  test("a link that goes quiet (the server frozen) is found by the client's own ping, dropped and reconnected", async () => {
    const server = await startHerald();
    try {
      const herald = client(server, { pingIntervalMs: 200, pingTimeoutMs: 300 });
      await herald.connect();
      const timedOut = nextEvent(herald, "error", 5000, (e) => e.code === "ping_timeout");
      server.signal("SIGSTOP");
      await timedOut;
      assert.equal(herald.state, "connecting");
      server.signal("SIGCONT");
      await nextEvent(herald, "connected", 10_000);
      herald.close();
    } finally {
      server.signal("SIGCONT");
      await server.stop();
    }
  });
});

describe("recovery", () => {
  let redis;
  before(async () => (redis = await startRedis()));
  after(() => redis.stop());

  test("the server restarted, the client comes back with its positions and gets exactly what it missed", async (t) => {
    const env = { REDIS_URL: redis.url, REDIS_CHANNEL: "herald-js-restart", SHUTDOWN_TIMEOUT: "5" };
    let server = await startHerald({ env });
    const port = server.port;
    const other = await startHerald({ env }); // the cluster's other instance, publishing while the first is down
    try {
      const herald = client(server, { channels: ["feed"] });
      const received = collect(herald);
      const recoveries = [];
      let recoveredAt = 0;
      herald.on("recovery", (r) => {
        recoveries.push(r);
        recoveredAt ||= Date.now();
      });
      await herald.connect();
      for (let i = 1; i <= 3; ++i) await server.notify({ message: `m${i}`, channel: "feed" });
      await waitUntil(() => received.length === 3, 5000, "m1-m3");

      await server.stop("SIGTERM");
      for (let i = 4; i <= 6; ++i) await other.notify({ message: `m${i}`, channel: "feed" });
      server = await startHerald({ port, env });
      const listeningAt = Date.now();
      await waitUntil(() => recoveries.some((r) => r.stream === "feed"), 10_000, "the feed's recovery");
      // For the record (the README's figure): how long after the new server listens the client has all it missed.
      t.diagnostic(`restart to fully recovered: ${recoveredAt - listeningAt} ms (back-off 50 to 200 ms)`);
      const feed = recoveries.find((r) => r.stream === "feed");
      assert.equal(feed.recovered, true, feed.reason);
      assert.equal(feed.replayed, 3);
      await server.notify({ message: "m7", channel: "feed" });
      await waitUntil(() => received.length === 7, 5000, "m1-m7");
      assertReceivedInOrder(received, ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
      assert.equal(herald.positions.feed.offset, 7);
      herald.close();
    } finally {
      await server.stop();
      await other.stop();
    }
  });

  test("without Redis a restart is a new history: recovered false, epoch_changed, the application refetches", async () => {
    let server = await startHerald({ env: { SHUTDOWN_TIMEOUT: "5" } });
    const port = server.port;
    const herald = client(server);
    const received = collect(herald);
    await herald.connect();
    await server.notify({ message: "before" });
    await waitUntil(() => received.length === 1);
    const epochBefore = herald.positions.$all.epoch;
    await server.stop("SIGTERM");
    server = await startHerald({ port });
    try {
      const recovery = await nextEvent(herald, "recovery", 10_000);
      assert.equal(recovery.stream, "$all");
      assert.equal(recovery.recovered, false);
      assert.equal(recovery.reason, "epoch_changed");
      assert.notEqual(herald.positions.$all.epoch, epochBefore);
      await server.notify({ message: "after" });
      await waitUntil(() => received.length === 2);
      assert.equal(received[1].offset, 1);
      herald.close();
    } finally {
      await server.stop();
    }
  });

  test("positions kept from an earlier run recover on the first connection", async () => {
    const server = await startHerald();
    try {
      const first = client(server);
      const firstReceived = collect(first);
      await first.connect();
      await server.notify({ message: "one" });
      await waitUntil(() => firstReceived.length === 1);
      const kept = first.positions;
      first.close();
      await server.notify({ message: "two" });
      await server.notify({ message: "three" });

      const second = client(server, { positions: kept });
      const received = collect(second);
      const recovery = nextEvent(second, "recovery");
      await second.connect();
      assert.equal((await recovery).recovered, true);
      await waitUntil(() => received.length === 2);
      assert.deepEqual(
        received.map((n) => n.message),
        ["two", "three"],
      );
      second.close();
    } finally {
      await server.stop();
    }
  });
});

describe("acknowledgements and tokens", () => {
  const secret = "js-client-test-secret-of-32-bytes!!";
  let server;
  before(async () => (server = await startHerald({ env: { CLIENT_JWT_SECRET: secret, PUBLIC_CHANNELS: "public" } })));
  after(() => server.stop());

  const token = (claims = {}) => clientToken(secret, { sub: "alice", exp: Math.floor(Date.now() / 1000) + 60, ...claims });

  test("a notification that asks for acknowledgement is acknowledged once the listeners have run", async () => {
    const herald = client(server, { token });
    const received = collect(herald);
    await herald.connect();
    const { notification_id: id } = await server.notify({ message: "please ack", ack: true });
    await waitUntil(() => received.length === 1);
    assert.equal(received[0].ack, true);
    await waitUntil(async () => (await server.get(`/notifications/${id}`)).json.acknowledged === 1, 5000, "the receipt");
    herald.close();
  });

  test("a listener that rejects leaves the notification unacknowledged; ack() does it by hand", async () => {
    const herald = client(server, { token });
    const failures = [];
    herald.on("notification", async (n) => {
      failures.push(n.id);
      throw new Error("could not store it");
    });
    await herald.connect();
    const { notification_id: id } = await server.notify({ message: "will fail", ack: true });
    await waitUntil(() => failures.length === 1);
    // The server answers a client's messages in order: once a subscribe is answered, an ack sent before it would
    // have been counted.
    await herald.subscribe("public");
    assert.equal((await server.get(`/notifications/${id}`)).json.acknowledged, 0);
    assert.equal(herald.ack(id), true);
    await waitUntil(async () => (await server.get(`/notifications/${id}`)).json.acknowledged === 1, 5000, "the receipt");
    herald.close();
  });

  test("the token callback runs before every attempt: an expired token is connect_failed, a fresh one gets in", async () => {
    let calls = 0;
    const herald = client(server, {
      token: () => (++calls === 1 ? token({ exp: Math.floor(Date.now() / 1000) - 3600 }) : token()),
    });
    const refused = nextEvent(herald, "error", 5000, (e) => e.code === "connect_failed");
    const welcome = await herald.connect();
    await refused;
    assert.equal(calls, 2);
    assert.ok(welcome.client_id);
    herald.close();
  });

  test("a channel the token does not grant is refused with forbidden; a public one is joined", async () => {
    const herald = client(server, { token: token({ channels: ["team.*"] }) });
    await herald.connect();
    await herald.subscribe("team.7");
    await herald.subscribe("public");
    await assert.rejects(herald.subscribe("secret"), (e) => e.code === "forbidden" && e.channel === "secret");
    herald.close();
  });
});
