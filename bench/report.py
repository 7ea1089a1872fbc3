"""Turns the RESULT lines of bench/compare.sh into the comparison section of docs/BENCHMARKS.md.
Standard library only. Usage: report.py RESULTS BENCHMARKS.md --cores N --fd-limit N --command CMD"""

import argparse
import datetime
import json
import platform
import re

BEGIN, END = "<!-- compare:begin -->", "<!-- compare:end -->"


def load(path):
    rows = []
    with open(path) as results:
        for line in results:
            if line.startswith("RESULT "):
                rows.append(json.loads(line[len("RESULT "):]))
    return rows


def find(rows, label, clients, in_flight):
    for row in rows:
        if row["label"] == label and row["clients"] == clients and row["in_flight"] == in_flight:
            return row
    return None


def fmt(value, digits=0):
    return "–" if value is None or value < 0 else f"{value:,.{digits}f}"


def table(rows, clients, labels):
    out = [
        f"### {clients:,} clients",
        "",
        "| server | connected | connects/s | server KiB per idle connection | 1 in flight: msg/s | p50 ms | p99 ms "
        "| max ms | 8 in flight: msg/s | p50 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label in labels:
        latency, throughput = find(rows, label, clients, 1), find(rows, label, clients, 8)
        if not latency:
            continue
        cells = [label, f"{latency['connected']:,}", fmt(latency["connect_per_second"]),
                 fmt(latency["kib_per_connection"], 1), fmt(latency["messages_per_second"]),
                 fmt(latency["p50_ms"], 1), fmt(latency["p99_ms"], 1), fmt(latency["max_ms"], 1)]
        if throughput:
            cells += [fmt(throughput["messages_per_second"]), fmt(throughput["p50_ms"], 1),
                      fmt(throughput["p99_ms"], 1), fmt(throughput["max_ms"], 1)]
        else:
            cells += ["–"] * 4
        if latency["timed_out"] or (throughput and throughput["timed_out"]):
            cells[0] += " (incomplete)"
        out.append("| " + " | ".join(cells) + " |")
    return out


def targets(rows, herald, clients):
    def value(label, in_flight, key):
        row = find(rows, label, clients, in_flight)
        return row[key] if row else None

    def check(name, ours, theirs, wanted, ratio_ok):
        if ours is None or theirs is None or theirs == 0:
            return f"| {name} | – | – | {wanted} | not measured |"
        ratio = ours / theirs
        return f"| {name} | {ours:,.1f} vs {theirs:,.1f} | {ratio:.2f} | {wanted} | {'met' if ratio_ok(ratio) else 'missed'} |"

    out = [
        f"Targets for {herald} at {clients:,} clients, ratios from this run:",
        "",
        "| target | Herald vs peer | ratio | wanted | result |",
        "|---|---|---|---|---|",
        check("messages/s vs the floor (8 in flight)", value(herald, 8, "messages_per_second"),
              value("floor", 8, "messages_per_second"), "≥ 0.90", lambda r: r >= 0.9),
        check("messages/s vs FastAPI (8 in flight)", value(herald, 8, "messages_per_second"),
              value("fastapi", 8, "messages_per_second"), "≥ 2.5", lambda r: r >= 2.5),
        check("p99 latency vs Node ws (1 in flight)", value(herald, 1, "p99_ms"), value("node-ws", 1, "p99_ms"),
              "< 1.0", lambda r: r < 1.0),
        check("p99 latency vs the floor (1 in flight)", value(herald, 1, "p99_ms"), value("floor", 1, "p99_ms"),
              "≤ 1.2", lambda r: r <= 1.2),
        check("KiB per idle connection vs Node ws", value(herald, 1, "kib_per_connection"),
              value("node-ws", 1, "kib_per_connection"), "< 1.0", lambda r: r < 1.0),
    ]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("benchmarks")
    parser.add_argument("--cores", type=int, required=True)
    parser.add_argument("--fd-limit", type=int, required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--commit", default="unknown")
    args = parser.parse_args()
    rows = load(args.results)
    labels = []
    for row in rows:
        if row["label"] not in labels:
            labels.append(row["label"])
    # One table per client count the peers ran at; a Herald-only run gets its own paragraph.
    client_counts = sorted({row["clients"] for row in rows if row["label"] == "floor"})
    section = [
        BEGIN,
        "## Herald against its peers (`./dev.sh bench`)",
        "",
        f"Run {datetime.date.today().isoformat()} at commit `{args.commit}` on {args.cores} cores "
        f"({platform.machine()}, Linux {platform.release()}), the load tool sharing the cores with the server, each "
        "server alone in turn. "
        f"Reproduce with `{args.command}` (it installs the peers, builds everything and rewrites this section).",
        "",
        "- `herald-loadgen` (bench/loadgen): epoll, one thread, opens the clients (at most 256 handshakes at once),",
        "  then sends broadcasts through `POST /notify`. *1 in flight*: the next POST waits until every client has",
        "  the previous one (latency). *8 in flight*: up to 8 broadcasts outstanding (throughput). Latency is from",
        "  just before the POST to each client's receipt; msg/s is deliveries over the phase's wall time.",
        "- Servers: `floor` (bench/peers/floor, C, epoll, one thread, frames once and writes the same bytes to",
        "  every client: what this machine allows, and the proof the load tool keeps up); `herald-1` and",
        f"  `herald-{args.cores}` (WORKERS=1 and one per core, `--log-level WARNING`, pings off); `node-ws`",
        "  (bench/peers/node-ws, Node.js and the `ws` package from npm); `fastapi` (bench/peers/fastapi, FastAPI",
        "  with uvicorn, uvloop and httptools from Debian, the ConnectionManager pattern).",
        "- Server memory per connection: (RSS with every client connected and idle − RSS before) / clients.",
        "",
    ]
    for clients in client_counts:
        section += table(rows, clients, [label for label in labels if find(rows, label, clients, 1)]) + [""]
    big = [row for row in rows if row["label"] == "herald-1" and not find(rows, "floor", row["clients"], 1)]
    if big:
        row = big[0]
        section += [
            f"### Herald alone at {row['clients']:,} clients",
            "",
            f"herald-1 held {row['connected']:,} of {row['clients']:,} connections "
            f"({fmt(row['kib_per_connection'], 1)} KiB each, {fmt(row['rss_connected_kib'] / 1024, 0)} MiB in all), "
            f"connected at {fmt(row['connect_per_second'])}/s, and delivered {row['broadcasts']} broadcasts to all of "
            f"them at {fmt(row['messages_per_second'])} messages/s (p50 {fmt(row['p50_ms'], 1)} ms, p99 "
            f"{fmt(row['p99_ms'], 1)} ms, max {fmt(row['max_ms'], 1)} ms). This machine allows one process "
            f"{args.fd_limit:,} open files (the hard limit cannot be raised here), so that is the most one server "
            "process can hold; where the limit allows, the script runs it at 50,000.",
            "",
        ]
    cluster = [row for row in rows if row["label"].startswith("herald-cluster-")]
    if cluster:
        row = cluster[0]
        instances = int(row["label"].rsplit("-", 1)[1])
        section += [
            f"### {row['clients']:,} clients on {instances} Herald instances linked through Redis",
            "",
            f"{instances} herald-server processes (one worker each) on one host, sharing a local `redis-server` as "
            "their backplane (`REDIS_URL`), the clients spread over them in turn and the load tool split over "
            f"{instances} processes, since one process may not open enough files here. Every broadcast is POSTed to "
            "the first instance, which delivers it to its own clients and publishes it through Redis to the others.",
            "",
            f"The cluster held {row['connected']:,} of {row['clients']:,} connections "
            f"({fmt(row['kib_per_connection'], 1)} KiB each across the instances and Redis, "
            f"{fmt(row['rss_connected_kib'] / 1024, 0)} MiB in all), connected at {fmt(row['connect_per_second'])}/s, "
            f"and delivered {row['broadcasts']} broadcasts: {row['deliveries']:,} of {row['expected']:,} deliveries, "
            f"{fmt(row['messages_per_second'])} messages/s (p50 {fmt(row['p50_ms'], 1)} ms, p99 "
            f"{fmt(row['p99_ms'], 1)} ms, max {fmt(row['max_ms'], 1)} ms, through Redis for all but the first "
            "instance's clients).",
            "",
        ]
    tens = max(client_counts, default=None)
    if tens:
        for herald in [label for label in labels if find(rows, label, tens, 1) and label.startswith("herald-")]:
            section += targets(rows, herald, tens) + [""]
    section.append(END)

    with open(args.benchmarks) as existing:
        text = existing.read()
    block = "\n".join(section)
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(args.benchmarks, "w") as updated:
        updated.write(text)


if __name__ == "__main__":
    main()
