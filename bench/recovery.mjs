// The recovery and receipt figures of issue 17 (bench/history.sh runs it against a herald-server it started):
//   node bench/recovery.mjs storm PORT PID [clients] [behind] [rate]
//     clients connect, leave, miss `behind` broadcasts, and come back at once with ?since=; meanwhile 20 other
//     clients of channel "live" get `rate` notifications a second. Reports the time until every client has its
//     replay and "recovery", and the live latency (p50, p99) before and during the storm. behind 0: they come back
//     without ?since= (the reconnections alone).
//   node bench/recovery.mjs acks PORT PID [clients] [notifications]
//     the server's CPU time and memory for notifications with "ack": true that every client acknowledges, against
//     the same without: the bookkeeping per notification and per acknowledgement.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const WebSocket = require('./peers/node-ws/node_modules/ws');
const [mode, port, pid, ...rest] = isMainThread ? process.argv.slice(2) : workerData.argv;
const base = `http://127.0.0.1:${port}`;
const wsUrl = (query = '') => `ws://127.0.0.1:${port}/ws${query}`;
const ticksPerSecond = 100;

function serverCpuSeconds() {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
function serverRssKiB() {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}
const percentile = (values, p) => {
    if (!values.length) return null;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const post = (path, body) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function batches(notifications) {
    for (let i = 0; i < notifications.length; i += 100)
        await post('/notify/batch', { notifications: notifications.slice(i, i + 100) });
}
function open(url, onMessage) {
    return new Promise((resolve, reject) => {
        const socket = new WebSocket(url);
        socket.on('message', (data) => {
            const message = JSON.parse(data);
            if (message.type === 'welcome') resolve({ socket, welcome: message });
            onMessage?.(message, socket);
        });
        socket.on('error', reject);
    });
}
const until = (condition, timeoutMs = 120000) =>
    new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () =>
            condition() ? resolve() : Date.now() - started > timeoutMs ? reject(new Error('timed out')) : setTimeout(check, 5);
        check();
    });

// The live side, in a thread of its own: 20 clients of channel "live", `rate` notifications a second to it, each
// carrying the time it was posted; latencies are sorted by the phase the main thread says it is in.
async function liveSide(rate) {
    const latencies = { before: [], during: [], after: [] };
    let phase = 'before';
    parentPort.on('message', (message) => {
        phase = message;
        if (phase === 'stop') parentPort.postMessage(latencies);
    });
    for (let i = 0; i < 20; ++i)
        await open(wsUrl('?channels=live'), (m) => {
            if (m.channel === 'live' && m.data?.t !== undefined && latencies[phase]) latencies[phase].push(performance.now() - m.data.t);
        });
    parentPort.postMessage('ready');
    const interval = 1000 / rate;
    let next = performance.now();
    while (phase !== 'stop') {
        await post('/notify', { message: 'live', channel: 'live', data: { t: performance.now() } });
        next += interval;
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    setTimeout(() => process.exit(0), 100);
}

async function storm(clients = 1000, behind = 100, rate = 200) {
    const live = new Worker(new URL(import.meta.url), { workerData: { argv: ['live', port, pid, rate] } });
    await new Promise((resolve) => live.once('message', resolve)); // ready
    const away = [];
    for (let i = 0; i < clients; ++i) away.push(await open(wsUrl()));
    const { offset, epoch } = away[0].welcome.streams.$all;
    for (const { socket } of away) socket.close();
    await until(() => away.every(({ socket }) => socket.readyState === WebSocket.CLOSED));
    if (behind > 0)
        await batches(Array.from({ length: behind }, (_, i) => ({ message: `missed ${i}`, data: { filler: 'x'.repeat(100) } })));
    await new Promise((r) => setTimeout(r, 2000)); // live latency before the storm
    live.postMessage('during');
    const started = performance.now();
    const cpuBefore = serverCpuSeconds();
    let recovered = 0, incomplete = 0, replayed = 0;
    // behind 0: the same crowd comes back without ?since=, to tell the reconnections' own cost from the replays'.
    const query = behind > 0 ? `?since=${encodeURIComponent(`$all:${offset}:${epoch}`)}` : '';
    const back = Array.from({ length: clients }, () =>
        open(wsUrl(query), (m) => {
            if (m.type === 'notification' && m.stream === '$all') ++replayed;
            if (m.type === 'recovery') m.streams.$all.recovered ? ++recovered : ++incomplete;
        }));
    const sockets = await Promise.all(back);
    await until(() => behind === 0 || (recovered + incomplete === clients && replayed >= clients * behind));
    const seconds = (performance.now() - started) / 1000;
    const cpu = serverCpuSeconds() - cpuBefore;
    live.postMessage('after');
    await new Promise((r) => setTimeout(r, 500));
    const latencies = await new Promise((resolve) => {
        live.on('message', resolve);
        live.postMessage('stop');
    });
    for (const { socket } of sockets) socket.close();
    console.log('RESULT ' + JSON.stringify({
        mode: 'storm', clients, behind, rate, seconds_to_recover_all: seconds, recovered, incomplete,
        replayed, server_cpu_seconds: cpu,
        live_p50_before_ms: percentile(latencies.before, 50), live_p99_before_ms: percentile(latencies.before, 99),
        live_p50_during_ms: percentile(latencies.during, 50), live_p99_during_ms: percentile(latencies.during, 99),
        live_during: latencies.during.length,
    }));
    process.exit(0);
}

async function acks(clients = 100, notifications = 1000) {
    const sockets = [];
    let acked = 0, received = 0;
    for (let i = 0; i < clients; ++i)
        sockets.push(await open(wsUrl(), (m, socket) => {
            if (m.type !== 'notification') return;
            ++received;
            if (m.ack) { socket.send(JSON.stringify({ type: 'ack', id: m.id })); ++acked; }
        }));
    const run = async (ack) => {
        received = 0;
        const cpu = serverCpuSeconds(), rss = serverRssKiB();
        await batches(Array.from({ length: notifications }, (_, i) => ({ message: `n ${i}`, ack })));
        await until(() => received === clients * notifications);
        await new Promise((r) => setTimeout(r, 500)); // the acknowledgements reach the server
        return { cpu: serverCpuSeconds() - cpu, rssKiB: serverRssKiB() - rss };
    };
    const plain1 = await run(false);
    const withAck = await run(true);
    const plain2 = await run(false);
    const plainCpu = (plain1.cpu + plain2.cpu) / 2;
    for (const { socket } of sockets) socket.close();
    console.log('RESULT ' + JSON.stringify({
        mode: 'acks', clients, notifications, acknowledgements: acked,
        cpu_seconds_plain: plainCpu, cpu_seconds_with_ack: withAck.cpu,
        extra_cpu_us_per_ack: ((withAck.cpu - plainCpu) * 1e6) / (clients * notifications),
        rss_kib_per_receipt: withAck.rssKiB / notifications,
    }));
    process.exit(0);
}

if (mode === 'live') await liveSide(...rest.map(Number));
else if (mode === 'storm') await storm(...rest.map(Number));
else if (mode === 'acks') await acks(...rest.map(Number));
else { console.error('usage: recovery.mjs storm|acks PORT PID [...]'); process.exit(2); }
