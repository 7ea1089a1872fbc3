// The client's parts that need no server: back-off, positions and repeats, close codes.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Backoff, StreamPositions } from "../dist/index.js";
import { errorForClose } from "../dist/errors.js";

test("back-off doubles up to its ceiling, draws jitter below it, and starts again after a reset", () => {
  const highest = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 }, () => 0);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => highest.next()), [100, 200, 400, 800, 1000, 1000]);
  highest.reset();
  assert.equal(highest.next(), 100);
  const lowest = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, jitter: 0.5 }, () => 1);
  assert.deepEqual([1, 2, 3].map(() => lowest.next()), [50, 100, 200]);
});

test("positions: a repeat is dropped, a position given ahead of what was received does not hide what is still due", () => {
  const positions = new StreamPositions();
  positions.given("$all", { offset: 12, epoch: "e1" });
  // The welcome said 12; notification 12 may still arrive and is one not yet had.
  assert.equal(positions.received({ type: "n", stream: "$all", offset: 12, epoch: "e1" }), true);
  assert.equal(positions.received({ type: "n", stream: "$all", offset: 13, epoch: "e1" }), true);
  assert.equal(positions.received({ type: "n", stream: "$all", offset: 13, epoch: "e1" }), false);
  assert.equal(positions.received({ type: "n", stream: "$all", offset: 11, epoch: "e1" }), false);
  assert.deepEqual(positions.sinceOf("$all"), { offset: 13, epoch: "e1" });
  // A new epoch starts the stream again.
  assert.equal(positions.received({ type: "n", stream: "$all", offset: 1, epoch: "e2" }), true);
  assert.deepEqual(positions.sinceOf("$all"), { offset: 1, epoch: "e2" });
  // Without a position (a notification to one client), nothing is tracked and nothing is dropped.
  assert.equal(positions.received({ type: "n" }), true);
  assert.equal(positions.received({ type: "n" }), true);
});

test("positions: an incomplete recovery starts from the position given; not_kept forgets the stream", () => {
  const positions = new StreamPositions({ feed: { offset: 7, epoch: "old" } });
  positions.recovered({ stream: "feed", recovered: false, offset: 3, epoch: "new" });
  assert.deepEqual(positions.sinceOf("feed"), { offset: 3, epoch: "new" });
  positions.recovered({ stream: "feed", recovered: false });
  assert.equal(positions.sinceOf("feed"), undefined);
  assert.deepEqual(new StreamPositions({ a: { offset: 1, epoch: "x" } }).toJSON(), { a: { offset: 1, epoch: "x" } });
});

test("close codes: each has its name, and 1008 is told apart by the reason's code", () => {
  assert.equal(errorForClose(1008, "rate_limited: more than 50 messages per second", true).code, "rate_limited");
  assert.equal(errorForClose(1008, "slow_consumer: more than 100 messages waiting", true).code, "slow_consumer");
  assert.equal(errorForClose(1008, "something else", true).code, "closed_by_server");
  assert.equal(errorForClose(1001, "Server shutting down", true).code, "server_shutdown");
  assert.equal(errorForClose(1002, "", true).code, "protocol_error");
  assert.equal(errorForClose(1007, "", true).code, "protocol_error");
  assert.equal(errorForClose(1009, "", true).code, "message_too_big");
  assert.equal(errorForClose(1006, "", true).code, "connection_lost");
  assert.equal(errorForClose(1006, "", false).code, "connect_failed");
});
