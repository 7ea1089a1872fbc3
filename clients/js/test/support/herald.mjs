// The real things the client's tests talk to: herald-server processes and a redis-server, on loopback ports.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The server binary: HERALD_SERVER (CTest passes it), else the default build's. */
export const heraldBinary = process.env.HERALD_SERVER ?? resolve(here, "../../../../build/server/herald-server");

/** Resolves when `predicate()` is true, checking on every turn of a 10 ms poll; rejects after `timeoutMs`. */
export async function waitUntil(predicate, timeoutMs = 10_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves with the arguments of the next `event` of `emitter` (a HeraldClient), or rejects after `timeoutMs`. */
export function nextEvent(emitter, event, timeoutMs = 10_000, accept = () => true) {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = emitter.on(event, (...args) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      off();
      resolvePromise(args[0]);
    });
  });
}

export async function freePort() {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

function waitForOutput(child, output, text, timeoutMs) {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${text}" within ${timeoutMs} ms:\n${output.text.slice(-2000)}`)), timeoutMs);
    const check = () => output.text.includes(text) && done();
    const exited = (code) => done(new Error(`exited (${code}) before "${text}":\n${output.text.slice(-2000)}`));
    function done(error) {
      clearTimeout(timer);
      child.stdout.off("data", check);
      child.stderr?.off("data", check);
      child.off("exit", exited);
      error ? reject(error) : resolvePromise();
    }
    child.stdout.on("data", check);
    child.stderr?.on("data", check);
    child.once("exit", exited);
    check();
  });
}

/** A herald-server on 127.0.0.1 (`port` 0: the kernel's choice), with only the settings given. */
export async function startHerald({ port = 0, env = {}, args = [] } = {}) {
  const directory = mkdtempSync(join(tmpdir(), "herald-js-"));
  const child = spawn(heraldBinary, ["--host", "127.0.0.1", "--port", String(port), ...args], {
    cwd: directory,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NOTIFICATION_INTERVAL: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { text: "" };
  child.stdout.on("data", (chunk) => (output.text += chunk));
  child.stderr.on("data", (chunk) => (output.text += chunk));
  const exited = new Promise((r) => child.once("exit", (code, signal) => r({ code, signal })));
  await waitForOutput(child, output, "server_started", 15_000);
  const match = /"port":(\d+)|port=(\d+)/.exec(output.text);
  const actualPort = Number(match[1] ?? match[2]);
  const base = `http://127.0.0.1:${actualPort}`;
  let running = true;
  exited.then(() => (running = false));
  return {
    port: actualPort,
    wsUrl: `ws://127.0.0.1:${actualPort}/ws`,
    httpUrl: (path) => base + path,
    output: () => output.text,
    get running() {
      return running;
    },
    async notify(body) {
      const response = await fetch(base + "/notify", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.status !== 200) throw new Error(`POST /notify: ${response.status} ${await response.text()}`);
      return response.json();
    },
    async get(path) {
      const response = await fetch(base + path);
      return { status: response.status, json: await response.json() };
    },
    signal(name) {
      child.kill(name);
    },
    /** Sends `signal` (SIGTERM: a graceful shutdown) and resolves with how the process ended. */
    async stop(signal = "SIGTERM") {
      if (running) child.kill(signal);
      const result = await exited;
      rmSync(directory, { recursive: true, force: true });
      return result;
    },
  };
}

/** A real redis-server on a free loopback port, persisting nothing. */
export async function startRedis() {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { text: "" };
  child.stdout.on("data", (chunk) => (output.text += chunk));
  await waitForOutput(child, output, "Ready to accept connections", 10_000);
  const exited = new Promise((r) => child.once("exit", r));
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** An HS256 client token, as an application's server would sign it. */
export function clientToken(secret, claims) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ iat: Math.floor(Date.now() / 1000), ...claims })}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

/** The notifications received are exactly these messages, in order, at offsets 1, 2, 3, ... of their stream. */
export function assertReceivedInOrder(received, messages) {
  assert.deepEqual(
    received.map((n) => n.message),
    messages,
  );
  assert.deepEqual(
    received.map((n) => n.offset),
    messages.map((_, i) => i + 1),
  );
}
