// The client in a real browser (Debian's Chromium, driven by playwright-core) against the real herald-server and a
// real redis-server: connect, receive, acknowledge, the server killed (SIGKILL) and restarted, reconnect, recover.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { assertReceivedInOrder, startHerald, startRedis, waitUntil } from "./support/herald.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

// The page an application would write: the package's ES module, no bundler.
const page = `<!doctype html><meta charset="utf-8"><title>Herald client</title>
<script type="module">
  import { HeraldClient } from "/dist/index.js";
  const url = new URLSearchParams(location.search).get("ws");
  window.received = [];
  window.recoveries = [];
  window.errors = [];
  const client = new HeraldClient({ url, channels: ["feed"], reconnect: { initialDelayMs: 50, maxDelayMs: 250 } });
  client.on("notification", (n) => { window.received.push({ message: n.message, offset: n.offset }); });
  client.on("recovery", (r) => window.recoveries.push(r));
  client.on("error", (e) => window.errors.push(e.code));
  client.on("state", (s) => (window.state = s));
  client.connect();
  window.client = client;
</script>`;

// A page that needs no library: the browser's own EventSource on /events.
const eventSourcePage = `<!doctype html><meta charset="utf-8"><title>Herald events</title>
<script>
  window.received = [];
  window.recoveries = [];
  window.opened = 0;
  const events = new EventSource(new URLSearchParams(location.search).get("events"));
  events.onopen = () => window.opened++;
  events.onmessage = (e) => {
    const message = JSON.parse(e.data);
    if (message.type === "notification") window.received.push({ message: message.message, offset: message.offset });
    if (message.type === "recovery") window.recoveries.push(message.streams);
    window.lastEventId = e.lastEventId;
  };
</script>`;

// The browser's own WebSocket, which offers permessage-deflate by default and compresses what it sends.
const compressionPage = `<!doctype html><meta charset="utf-8"><title>Herald compression</title>
<script>
  window.messages = [];
  const socket = new WebSocket(new URLSearchParams(location.search).get("ws"));
  socket.onopen = () => (window.extensions = socket.extensions);
  socket.onmessage = (e) => {
    const message = JSON.parse(e.data);
    window.messages.push(message);
    if (message.type === "welcome") socket.send(JSON.stringify({ type: "subscribe", channel: "big" }));
  };
</script>`;

/** Serves the pages and the built package to the browser. */
function startStatic() {
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    const pages = { "/": page, "/events.html": eventSourcePage, "/compression.html": compressionPage };
    if (path in pages) {
      response.writeHead(200, { "Content-Type": "text/html" }).end(pages[path]);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(join(root, "dist")) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "Content-Type": "text/javascript" }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let redis, web, browser;
before(async () => {
  assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (./dev.sh test installs Debian's chromium)`);
  redis = await startRedis();
  web = await startStatic();
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
});
after(async () => {
  await browser?.close();
  web?.close();
  await redis?.stop();
});

test("in Chromium: receive, acknowledge, the server killed and restarted, reconnect, recover exactly what was missed", async () => {
  const env = { REDIS_URL: redis.url, REDIS_CHANNEL: "herald-js-browser", SHUTDOWN_TIMEOUT: "5" };
  let server = await startHerald({ env });
  const port = server.port;
  const other = await startHerald({ env });
  const tab = await browser.newPage();
  try {
    await tab.goto(`http://127.0.0.1:${web.address().port}/?ws=${encodeURIComponent(server.wsUrl)}`);
    await tab.waitForFunction(() => window.state === "connected", null, { timeout: 10_000 });

    await server.notify({ message: "m1", channel: "feed" });
    await server.notify({ message: "m2", channel: "feed" });
    const { notification_id: id } = await server.notify({ message: "m3", channel: "feed", ack: true });
    await tab.waitForFunction(() => window.received.length === 3, null, { timeout: 5000 });
    await waitUntil(async () => (await server.get(`/notifications/${id}`)).json.acknowledged === 1, 5000, "the ack");

    // Killed, not shut down: no notice, no close frame; the browser sees the connection drop.
    assert.equal((await server.stop("SIGKILL")).signal, "SIGKILL");
    for (const message of ["m4", "m5", "m6"]) await other.notify({ message, channel: "feed" });
    server = await startHerald({ port, env });
    await tab.waitForFunction(() => window.recoveries.some((r) => r.stream === "feed"), null, { timeout: 10_000 });
    const recovery = await tab.evaluate(() => window.recoveries.find((r) => r.stream === "feed"));
    assert.equal(recovery.recovered, true, recovery.reason);
    assert.equal(recovery.replayed, 3);
    await server.notify({ message: "m7", channel: "feed" });
    await tab.waitForFunction(() => window.received.length === 7, null, { timeout: 5000 });
    const received = await tab.evaluate(() => window.received);
    assertReceivedInOrder(received, ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    const errors = await tab.evaluate(() => window.errors);
    assert.equal(errors[0], "connection_lost");
  } finally {
    await tab.close();
    await server.stop();
    await other.stop();
  }
});

test("in Chromium: EventSource on /events receives, reconnects after SIGKILL with Last-Event-ID, and recovers exactly what was missed", async () => {
  const env = { REDIS_URL: redis.url, REDIS_CHANNEL: "herald-js-browser-sse", SHUTDOWN_TIMEOUT: "5" };
  let server = await startHerald({ env });
  const port = server.port;
  const other = await startHerald({ env });
  const tab = await browser.newPage();
  try {
    const events = server.httpUrl("/events?channels=feed");
    await tab.goto(`http://127.0.0.1:${web.address().port}/events.html?events=${encodeURIComponent(events)}`);
    await tab.waitForFunction(() => window.opened === 1 && window.lastEventId, null, { timeout: 10_000 });
    for (const message of ["m1", "m2", "m3"]) await server.notify({ message, channel: "feed" });
    await tab.waitForFunction(() => window.received.length === 3, null, { timeout: 5000 });
    assert.match(await tab.evaluate(() => window.lastEventId), /(^|,)feed:\d+:[0-9a-z]+/);

    assert.equal((await server.stop("SIGKILL")).signal, "SIGKILL");
    for (const message of ["m4", "m5", "m6"]) await other.notify({ message, channel: "feed" });
    server = await startHerald({ port, env });
    // The browser's own retry (about 3 s in Chromium), with Last-Event-ID.
    // (A first "recovery" at the first connect may only give positions the instance had to ask Redis for.)
    await tab.waitForFunction(() => window.recoveries.some((r) => r.feed?.recovered !== undefined), null, {
      timeout: 15_000,
    });
    const recovery = await tab.evaluate(() => window.recoveries.find((r) => r.feed?.recovered !== undefined));
    assert.equal(recovery.feed.recovered, true, recovery.feed.reason);
    assert.equal(recovery.feed.replayed, 3);
    await server.notify({ message: "m7", channel: "feed" });
    await tab.waitForFunction(() => window.received.length === 7, null, { timeout: 5000 });
    assertReceivedInOrder(await tab.evaluate(() => window.received), ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    assert.equal(await tab.evaluate(() => window.opened), 2);
  } finally {
    await tab.close();
    await server.stop();
    await other.stop();
  }
});

test("in Chromium: permessage-deflate is agreed, the browser's compressed messages are understood and a 6 KB notification arrives whole", async () => {
  const server = await startHerald({});
  const tab = await browser.newPage();
  try {
    await tab.goto(`http://127.0.0.1:${web.address().port}/compression.html?ws=${encodeURIComponent(server.wsUrl)}`);
    await tab.waitForFunction(() => window.messages.some((m) => m.type === "subscribed"), null, { timeout: 10_000 });
    const extensions = await tab.evaluate(() => window.extensions);
    assert.equal(extensions, "permessage-deflate; server_no_context_takeover; client_no_context_takeover");

    const rows = Array.from({ length: 130 }, (_, i) => ({ sku: `SKU-${1000 + i}`, quantity: (i % 5) + 1, status: "packed" }));
    await server.notify({ message: "inventory", channel: "big", data: { rows } });
    await tab.waitForFunction(() => window.messages.some((m) => m.message === "inventory"), null, { timeout: 5000 });
    const received = await tab.evaluate(() => window.messages.find((m) => m.message === "inventory"));
    assert.ok(JSON.stringify(received).length > 6000);
    assert.deepEqual(received.data, { rows });
  } finally {
    await tab.close();
    await server.stop();
  }
});
