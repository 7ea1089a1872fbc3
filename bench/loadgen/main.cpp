// herald-loadgen: the load tool behind docs/BENCHMARKS.md. Opens N WebSocket clients on epoll (many per
// thread, no Qt, so that the tool is not what is being measured), sends K broadcasts through POST /notify with
// a given number in flight (and optionally at a given rate), and reports end-to-end delivery latency from
// just before each POST to each client's receipt (p50, p99, max), messages delivered per second, the connect
// rate, and the server's memory per connection when given its pid. Works against any server with the same
// contract: GET /ws upgrades, POST /notify {"message","type"} broadcasts a JSON text frame carrying the message.
// Several ports spread the clients over several servers (a cluster: the POSTs go to the first), and several
// processes let the tool hold more clients than one process may open files. With --channels S,B each client i
// joins two channels at connect (/ws?channels=s<i mod S>,b<i mod B>: one of S small channels and one of B big
// ones) and the broadcasts go to channels in turn, small then big ({"channel": ...} in the POST), each counted
// complete when every subscriber has it. With --message-bytes N each notification carries about N bytes of JSON
// records; with --deflate the clients offer permessage-deflate (as browsers do) and the tool reports the bytes
// on the wire per delivery. Every compressed frame is known for the broadcast it carries: inflated with the
// client's own context where the server keeps one per client (context takeover), else inflated once per thread
// and known after that by its bytes, which such a server sends alike to everyone it compresses for.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <new>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// A run of broadcasts with a given number in flight: 1 measures latency, several measure throughput.
struct Phase {
    int inFlight = 1;
    int broadcasts = 100;
};

struct Options {
    std::string host = "127.0.0.1";
    std::vector<int> ports;      // clients spread over these in turn; POSTs go to the first
    std::vector<int> serverPids; // memory per connection: the sum of their RSS
    int processes = 1;
    int clients = 1000;
    int broadcasts = 100;
    int inFlight = 1;
    double rate = 0; // broadcasts per second; 0: as fast as the in-flight window allows
    int threads = 1;
    int maxConnecting = 256; // handshakes in progress at once, to stay inside the server's listen backlog
    int messageBytes = 0;    // --message-bytes: JSON records in each notification's "data", to about this size
    bool deflate = false;    // --deflate 1: the clients offer permessage-deflate
    std::string data;        // the "data" member those records make, built once
    int timeoutSeconds = 60;
    std::string label = "server";
    std::vector<Phase> phases; // --phase WxK, repeatable; default: one phase of --in-flight x --broadcasts
    int smallChannels = 0;     // --channels S,B; 0: broadcasts to everyone
    int bigChannels = 0;
    // POSTs at once: by default as many as the largest in-flight window, so that W broadcasts in flight can
    // reach the server together, as they would from W publishers; 1 sends them one after another.
    int postThreads = 0;
    bool countSyscalls = false; // --syscalls: the server's system calls per phase, counted by perf

    bool channels() const { return smallChannels > 0; }
    // Broadcast k's channel: even ones go to the small channels, odd ones to the big ones, each in turn.
    std::string channelOf(int k) const
    {
        return k % 2 == 0 ? "s" + std::to_string((k / 2) % smallChannels) : "b" + std::to_string((k / 2) % bigChannels);
    }
    // How many of the clients broadcast k reaches.
    int recipientsOf(int k, int connected) const
    {
        if (!channels())
            return connected;
        const int count = k % 2 == 0 ? smallChannels : bigChannels;
        const int index = (k / 2) % count;
        return connected / count + (index < connected % count ? 1 : 0);
    }

    int totalBroadcasts() const
    {
        int total = 0;
        for (const Phase &phase : phases)
            total += phase.broadcasts;
        return total;
    }
};

[[noreturn]] void usage(const char *why)
{
    std::fprintf(stderr,
                 "herald-loadgen: %s\n"
                 "usage: herald-loadgen --port P[,P...] [--host H] [--clients N] [--broadcasts K] [--in-flight W]\n"
                 "                      [--rate R] [--threads T] [--processes N] [--server-pid PID[,PID...]]\n"
                 "                      [--label NAME] [--max-connecting C] [--timeout S] [--phase WxK ...]\n"
                 "  --port P,Q,...: clients spread over the ports in turn; broadcasts POSTed to the first\n"
                 "  --processes N: clients split over N processes (each has its own open-file limit)\n"
                 "  --phase WxK: K broadcasts with W in flight, on the same connections as the other phases\n"
                 "  --channels S,B: every client in one of S small and one of B big channels; broadcasts to them\n"
                 "  --post-threads N: POSTs sent at once (default: the largest W; 1: one after another)\n"
                 "  --syscalls 1: count the server's system calls in each phase (perf stat; needs --server-pid)\n"
                 "  --message-bytes N: notifications of about N bytes (JSON records in \"data\")\n"
                 "  --deflate 1: clients offer permessage-deflate; wire bytes per delivery are reported\n",
                 why);
    std::exit(2);
}

std::vector<int> numbers(const char *list)
{
    std::vector<int> out;
    std::stringstream stream(list);
    std::string item;
    while (std::getline(stream, item, ','))
        out.push_back(std::atoi(item.c_str()));
    return out;
}

Options parse(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc)
            usage(("missing value for " + flag).c_str());
        const char *value = argv[++i];
        if (flag == "--host")
            o.host = value;
        else if (flag == "--port")
            o.ports = numbers(value);
        else if (flag == "--clients")
            o.clients = std::atoi(value);
        else if (flag == "--broadcasts")
            o.broadcasts = std::atoi(value);
        else if (flag == "--in-flight")
            o.inFlight = std::atoi(value);
        else if (flag == "--rate")
            o.rate = std::atof(value);
        else if (flag == "--threads")
            o.threads = std::atoi(value);
        else if (flag == "--processes")
            o.processes = std::atoi(value);
        else if (flag == "--server-pid")
            o.serverPids = numbers(value);
        else if (flag == "--label")
            o.label = value;
        else if (flag == "--max-connecting")
            o.maxConnecting = std::atoi(value);
        else if (flag == "--timeout")
            o.timeoutSeconds = std::atoi(value);
        else if (flag == "--post-threads")
            o.postThreads = std::atoi(value);
        else if (flag == "--syscalls")
            o.countSyscalls = std::atoi(value) != 0;
        else if (flag == "--message-bytes")
            o.messageBytes = std::atoi(value);
        else if (flag == "--deflate")
            o.deflate = std::atoi(value) != 0;
        else if (flag == "--channels") {
            const std::vector<int> counts = numbers(value);
            if (counts.size() != 2 || counts[0] <= 0 || counts[1] <= 0)
                usage("--channels wants S,B, e.g. 1000,10");
            o.smallChannels = counts[0];
            o.bigChannels = counts[1];
        } else if (flag == "--phase") {
            Phase phase;
            if (std::sscanf(value, "%dx%d", &phase.inFlight, &phase.broadcasts) != 2 || phase.inFlight <= 0 ||
                phase.broadcasts <= 0)
                usage("--phase wants WxK, e.g. 8x400");
            o.phases.push_back(phase);
        } else
            usage(("unknown flag " + flag).c_str());
    }
    const bool portsValid =
        !o.ports.empty() && std::all_of(o.ports.begin(), o.ports.end(), [](int p) { return p > 0; });
    if (!portsValid || o.clients <= 0 || o.broadcasts <= 0 || o.inFlight <= 0 || o.threads <= 0 || o.processes <= 0)
        usage("ports, clients, broadcasts, in-flight, threads and processes must be positive");
    if (o.phases.empty())
        o.phases.push_back({o.inFlight, o.broadcasts});
    if (o.postThreads <= 0)
        for (const Phase &phase : o.phases)
            o.postThreads = std::max(o.postThreads, phase.inFlight);
    // Records as an order feed sends them: the same keys again and again, numbers and words that vary.
    if (o.messageBytes > 0) {
        std::string rows;
        for (int i = 0; int(rows.size()) + 64 < o.messageBytes; ++i)
            rows += std::string(rows.empty() ? "" : ",") + R"({"sku":"SKU-)" + std::to_string(1000 + i * 37 % 9000) +
                    R"(","quantity":)" + std::to_string(i * 7 % 13 + 1) + R"(,"status":")" +
                    (i % 3 == 0   ? "shipped"
                     : i % 3 == 1 ? "packed"
                                  : "ordered") +
                    R"(","warehouse":"W)" + std::to_string(i % 4) + "\"}";
        o.data = R"(,"data":{"rows":[)" + rows + "]}";
    }
    return o;
}

long rssKib(int pid)
{
    if (pid <= 0)
        return -1;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atol(line.c_str() + 6);
    return -1;
}

// All the servers' memory together; -1 when none was named or one is gone.
long rssKib(const std::vector<int> &pids)
{
    long total = pids.empty() ? -1 : 0;
    for (int pid : pids) {
        const long rss = rssKib(pid);
        if (rss < 0)
            return -1;
        total += rss;
    }
    return total;
}

// Memory every process of the tool sees (forked children write, the parent reads): an anonymous shared mapping,
// never unmapped, since it lives as long as the tool.
template<typename T> T *sharedArray(std::size_t count)
{
    void *memory = mmap(nullptr, std::max<std::size_t>(1, count) * sizeof(T), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        std::perror("herald-loadgen: mmap");
        std::exit(1);
    }
    T *items = static_cast<T *>(memory);
    for (std::size_t i = 0; i < count; ++i)
        new (items + i) T();
    return items;
}

// What every client thread reports into, in shared memory with a process-shared mutex and condition so that
// client threads in forked processes wake the main thread as threads of its own do.
class Progress
{
public:
    explicit Progress(int broadcasts)
        : m_broadcasts(broadcasts)
        , m_delivered(sharedArray<std::atomic<int>>(std::size_t(broadcasts)))
    {
        pthread_mutexattr_t mutexAttributes;
        pthread_mutexattr_init(&mutexAttributes);
        pthread_mutexattr_setpshared(&mutexAttributes, PTHREAD_PROCESS_SHARED);
        pthread_mutex_init(&m_shared->mutex, &mutexAttributes);
        pthread_condattr_t conditionAttributes;
        pthread_condattr_init(&conditionAttributes);
        pthread_condattr_setpshared(&conditionAttributes, PTHREAD_PROCESS_SHARED);
        pthread_condattr_setclock(&conditionAttributes, CLOCK_MONOTONIC);
        pthread_cond_init(&m_shared->changed, &conditionAttributes);
    }

    int broadcasts() const { return m_broadcasts; }
    std::atomic<int> &delivered(std::size_t broadcast) { return m_delivered[broadcast]; }
    std::atomic<int> &open() { return m_shared->open; }
    std::atomic<int> &failed() { return m_shared->failed; }
    std::atomic<int> &closedByServer() { return m_shared->closedByServer; }
    std::atomic<long long> &bytesRead() { return m_shared->bytesRead; }
    std::atomic<int> &compressedClients() { return m_shared->compressedClients; }
    std::atomic<long long> &inflated() { return m_shared->inflated; }
    std::atomic<long long> &recognised() { return m_shared->recognised; }

    void notify()
    {
        pthread_mutex_lock(&m_shared->mutex);
        pthread_cond_broadcast(&m_shared->changed);
        pthread_mutex_unlock(&m_shared->mutex);
    }

    // Waits until done() holds or the deadline passes; returns done().
    template<typename Done> bool waitUntil(Clock::time_point deadline, Done done)
    {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
        const timespec until{time_t(ns / 1000000000), long(ns % 1000000000)};
        pthread_mutex_lock(&m_shared->mutex);
        bool result = done();
        while (!result && pthread_cond_timedwait(&m_shared->changed, &m_shared->mutex, &until) != ETIMEDOUT)
            result = done();
        result = result || done();
        pthread_mutex_unlock(&m_shared->mutex);
        return result;
    }

private:
    struct Shared {
        pthread_mutex_t mutex;
        pthread_cond_t changed;
        std::atomic<int> open{0};
        std::atomic<int> failed{0};
        std::atomic<int> closedByServer{0};
        std::atomic<long long> bytesRead{0};
        std::atomic<int> compressedClients{0}; // whose handshake agreed on permessage-deflate
        std::atomic<long long> inflated{0};    // compressed frames the tool inflated to read
        std::atomic<long long> recognised{0};  // compressed frames known by their bytes
    };
    int m_broadcasts;
    std::atomic<int> *m_delivered; // per broadcast
    Shared *m_shared = sharedArray<Shared>(1);
};

struct Receipt {
    std::uint32_t broadcast;
    std::int64_t atNs;
};

enum class State { Connecting, Handshaking, Open, Closed };

struct Connection {
    int fd = -1;
    State state = State::Connecting;
    std::string pending;               // bytes of an incomplete header or frame
    bool compressed = false;           // permessage-deflate agreed
    std::unique_ptr<z_stream> context; // the client's inflate context, when the server keeps one too
};

class ClientThread
{
public:
    ClientThread(const Options &options, Progress &progress, int first, int count)
        : m_options(options)
        , m_progress(progress)
        , m_first(first)
        , m_connections(std::size_t(count))
    {
        // Shared, since the thread may run in a forked process; a client receives each broadcast at most once.
        m_receiptCapacity = std::size_t(count) * std::size_t(options.totalBroadcasts());
        m_receipts = sharedArray<Receipt>(m_receiptCapacity);
        m_receiptCount = sharedArray<std::size_t>(1);
    }

    void run(const std::atomic<bool> &stop)
    {
        m_epoll = epoll_create1(0);
        std::size_t next = 0;
        int connecting = 0;
        const int limit = std::max(1, m_options.maxConnecting / m_options.threads);
        std::vector<epoll_event> events(1024);
        char buffer[1 << 16];
        while (!stop.load(std::memory_order_relaxed)) {
            while (next < m_connections.size() && connecting < limit) {
                if (open(next))
                    ++connecting;
                ++next;
            }
            const int ready = epoll_wait(m_epoll, events.data(), int(events.size()), 50);
            for (int i = 0; i < ready; ++i) {
                Connection &c = m_connections[events[std::size_t(i)].data.u32];
                if (c.state == State::Connecting) {
                    int error = 0;
                    socklen_t length = sizeof error;
                    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
                    if (error != 0 || !sendHandshake(c, events[std::size_t(i)].data.u32)) {
                        fail(c);
                        --connecting;
                        continue;
                    }
                    c.state = State::Handshaking;
                    epoll_event in{};
                    in.events = EPOLLIN;
                    in.data.u32 = events[std::size_t(i)].data.u32;
                    epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &in);
                    continue;
                }
                const State before = c.state;
                readFrom(c, buffer, sizeof buffer);
                if (before == State::Handshaking && c.state != State::Handshaking)
                    --connecting;
            }
        }
        for (Connection &c : m_connections)
            if (c.fd >= 0)
                close(c.fd);
        close(m_epoll);
    }

    const Receipt *begin() const { return m_receipts; }
    const Receipt *end() const { return m_receipts + *m_receiptCount; }

private:
    bool open(std::size_t index)
    {
        Connection &c = m_connections[index];
        c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (c.fd < 0) {
            fail(c);
            return false;
        }
        const int one = 1;
        setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in server{};
        server.sin_family = AF_INET;
        server.sin_port = htons(std::uint16_t(portOf(index)));
        inet_pton(AF_INET, m_options.host.c_str(), &server.sin_addr);
        if ((ntohl(server.sin_addr.s_addr) >> 24) == 127) {
            // One source address has about 28,000 ephemeral ports: spread clients over 127.0.0.2, .3, ...
            sockaddr_in local{};
            local.sin_family = AF_INET;
            local.sin_addr.s_addr = htonl((127u << 24) | std::uint32_t(2 + (m_first + int(index)) / 20000));
            setsockopt(c.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
            bind(c.fd, reinterpret_cast<sockaddr *>(&local), sizeof local);
        }
        if (connect(c.fd, reinterpret_cast<sockaddr *>(&server), sizeof server) < 0 && errno != EINPROGRESS) {
            fail(c);
            return false;
        }
        epoll_event out{};
        out.events = EPOLLOUT;
        out.data.u32 = std::uint32_t(index);
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &out);
        return true;
    }

    int portOf(std::size_t index) const
    {
        return m_options.ports[std::size_t(m_first + int(index)) % m_options.ports.size()];
    }

    bool sendHandshake(Connection &c, std::size_t index)
    {
        const int client = m_first + int(index);
        const std::string path = m_options.channels()
                                     ? "/ws?channels=s" + std::to_string(client % m_options.smallChannels) + ",b" +
                                           std::to_string(client % m_options.bigChannels)
                                     : "/ws";
        const std::string request =
            "GET " + path + " HTTP/1.1\r\nHost: " + m_options.host + ":" + std::to_string(portOf(index)) +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
            (m_options.deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "") +
            "\r\n";
        return write(c.fd, request.data(), request.size()) == ssize_t(request.size());
    }

    void fail(Connection &c)
    {
        if (c.fd >= 0)
            close(c.fd);
        c.fd = -1;
        c.state = State::Closed;
        ++m_progress.failed();
        m_progress.notify();
    }

    void readFrom(Connection &c, char *buffer, std::size_t size)
    {
        for (;;) {
            const ssize_t got = read(c.fd, buffer, size);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
                if (c.state == State::Open)
                    ++m_progress.closedByServer();
                else if (c.state == State::Handshaking)
                    ++m_progress.failed();
                close(c.fd);
                c.fd = -1;
                c.state = State::Closed;
                m_progress.notify();
                return;
            }
            if (got < 0)
                return;
            const std::int64_t at = nowNs();
            m_progress.bytesRead().fetch_add(got, std::memory_order_relaxed);
            if (c.pending.empty()) {
                const std::size_t used = consume(c, buffer, std::size_t(got), at);
                if (used < std::size_t(got))
                    c.pending.assign(buffer + used, std::size_t(got) - used);
            } else {
                c.pending.append(buffer, std::size_t(got));
                const std::size_t used = consume(c, c.pending.data(), c.pending.size(), at);
                c.pending.erase(0, used);
            }
            if (c.state == State::Closed)
                return;
        }
    }

    // Parses as much as is complete; returns the bytes used.
    std::size_t consume(Connection &c, const char *data, std::size_t size, std::int64_t at)
    {
        std::size_t used = 0;
        if (c.state == State::Handshaking) {
            const std::string_view view(data, size);
            const std::size_t end = view.find("\r\n\r\n");
            if (end == std::string_view::npos)
                return 0;
            if (view.substr(0, 12).find("101") == std::string_view::npos) {
                fail(c);
                return size;
            }
            c.state = State::Open;
            c.compressed = view.substr(0, end).find("permessage-deflate") != std::string_view::npos;
            if (c.compressed) {
                ++m_progress.compressedClients();
                if (view.substr(0, end).find("server_no_context_takeover") == std::string_view::npos) {
                    c.context = std::make_unique<z_stream>();
                    inflateInit2(c.context.get(), -15);
                }
            }
            ++m_progress.open();
            m_progress.notify();
            used = end + 4;
        }
        while (c.state == State::Open && size - used >= 2) {
            const auto *p = reinterpret_cast<const unsigned char *>(data + used);
            const int opcode = p[0] & 0x0f;
            std::uint64_t length = p[1] & 0x7f;
            std::size_t header = 2;
            if (length == 126) {
                if (size - used < 4)
                    break;
                length = (std::uint64_t(p[2]) << 8) | p[3];
                header = 4;
            } else if (length == 127) {
                if (size - used < 10)
                    break;
                length = 0;
                for (int i = 0; i < 8; ++i)
                    length = (length << 8) | p[2 + i];
                header = 10;
            }
            if (size - used < header + length)
                break;
            const char *payload = data + used + header;
            if (opcode == 0x1 && (p[0] & 0x40))
                onCompressed(c, payload, std::size_t(length), at);
            else if (opcode == 0x1)
                onText(payload, std::size_t(length), at);
            else if (opcode == 0x9)
                pong(c, payload, std::size_t(length));
            else if (opcode == 0x8)
                ++m_progress.closedByServer();
            used += header + std::size_t(length);
        }
        return used;
    }

    void onCompressed(Connection &c, const char *payload, std::size_t length, std::int64_t at)
    {
        const std::string_view bytes(payload, length);
        if (!c.context) {
            if (const auto known = m_known.find(bytes); known != m_known.end()) {
                ++m_progress.recognised();
                record(known->second, at);
                return;
            }
        }
        if (!m_fresh) {
            m_fresh = std::make_unique<z_stream>();
            inflateInit2(m_fresh.get(), -15);
        }
        z_stream *stream = c.context ? c.context.get() : m_fresh.get();
        if (!c.context)
            inflateReset(stream);
        std::string input(bytes);
        input.append("\x00\x00\xff\xff", 4);
        m_inflated.resize(1 << 20);
        stream->next_in = reinterpret_cast<Bytef *>(input.data());
        stream->avail_in = uInt(input.size());
        stream->next_out = reinterpret_cast<Bytef *>(m_inflated.data());
        stream->avail_out = uInt(m_inflated.size());
        const int status = inflate(stream, Z_SYNC_FLUSH);
        m_inflated.resize(m_inflated.size() - stream->avail_out);
        ++m_progress.inflated();
        std::uint32_t broadcast = 0;
        if (status != Z_OK || !parseBroadcast(m_inflated, &broadcast))
            return;
        if (!c.context)
            m_known.emplace(m_keys.emplace_back(bytes), broadcast);
        record(broadcast, at);
    }

    // The number in "message":"bench-<number>" (either spacing), false for a message that is not a broadcast.
    static bool parseBroadcast(std::string_view text, std::uint32_t *broadcast)
    {
        static constexpr std::string_view marker = "\"message\":\"bench-";
        static constexpr std::string_view spaced = "\"message\": \"bench-"; // Python's json.dumps
        std::size_t found = text.find(marker);
        if (found != std::string_view::npos)
            found += marker.size();
        else if ((found = text.find(spaced)) != std::string_view::npos)
            found += spaced.size();
        else
            return false; // a welcome or anything else that is not ours
        *broadcast = 0;
        while (found < text.size() && text[found] >= '0' && text[found] <= '9')
            *broadcast = *broadcast * 10 + std::uint32_t(text[found++] - '0');
        return true;
    }

    void onText(const char *payload, std::size_t length, std::int64_t at)
    {
        std::uint32_t broadcast = 0;
        if (parseBroadcast(std::string_view(payload, length), &broadcast))
            record(broadcast, at);
    }

    void record(std::uint32_t broadcast, std::int64_t at)
    {
        if (int(broadcast) >= m_progress.broadcasts() || *m_receiptCount == m_receiptCapacity)
            return;
        m_receipts[(*m_receiptCount)++] = {broadcast, at};
        if (m_progress.delivered(broadcast).fetch_add(1) + 1 ==
            m_options.recipientsOf(int(broadcast), m_options.clients))
            m_progress.notify();
    }

    void pong(Connection &c, const char *payload, std::size_t length)
    {
        if (length > 125)
            return;
        unsigned char frame[2 + 4 + 125];
        frame[0] = 0x8a;
        frame[1] = 0x80 | std::uint8_t(length);
        std::memset(frame + 2, 0, 4); // a zero mask: valid, and the payload stays as it is
        std::memcpy(frame + 6, payload, length);
        [[maybe_unused]] const ssize_t ignored = write(c.fd, frame, 6 + length);
    }

    const Options &m_options;
    Progress &m_progress;
    int m_first;
    int m_epoll = -1;
    std::vector<Connection> m_connections;
    Receipt *m_receipts = nullptr;
    std::size_t m_receiptCapacity = 0;
    std::size_t *m_receiptCount = nullptr;
    // Compressed frames already read, by their bytes (without context takeover a frame is the same for everyone).
    std::deque<std::string> m_keys;
    std::unordered_map<std::string_view, std::uint32_t> m_known;
    std::unique_ptr<z_stream> m_fresh; // reset for each frame of a client without a context
    std::string m_inflated;
};

// One POST /notify on a fresh connection; returns the HTTP status or -1.
int postNotify(const Options &o, int broadcast)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(std::uint16_t(o.ports.front()));
    inet_pton(AF_INET, o.host.c_str(), &server.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr *>(&server), sizeof server) < 0) {
        close(fd);
        return -1;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const std::string channel = o.channels() ? R"(,"channel":")" + o.channelOf(broadcast) + "\"" : std::string();
    const std::string body =
        R"({"message":"bench-)" + std::to_string(broadcast) + R"(","type":"bench")" + channel + o.data + "}";
    const std::string request =
        "POST /notify HTTP/1.1\r\nHost: " + o.host +
        "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    if (write(fd, request.data(), request.size()) != ssize_t(request.size())) {
        close(fd);
        return -1;
    }
    // Read the head and Content-Length bytes of body; some servers keep the connection open regardless.
    std::string response;
    char buffer[4096];
    std::size_t needed = std::string::npos;
    while (response.size() < needed) {
        const ssize_t got = read(fd, buffer, sizeof buffer);
        if (got <= 0)
            break;
        response.append(buffer, std::size_t(got));
        const std::size_t end = response.find("\r\n\r\n");
        if (end != std::string::npos && needed == std::string::npos) {
            std::string head = response.substr(0, end);
            std::transform(head.begin(), head.end(), head.begin(), [](unsigned char ch) { return std::tolower(ch); });
            const std::size_t at = head.find("content-length:");
            needed = end + 4 + (at == std::string::npos ? 0 : std::size_t(std::atol(head.c_str() + at + 15)));
        }
    }
    close(fd);
    return response.size() > 12 ? std::atoi(response.c_str() + 9) : -1;
}

// Sends the POSTs from a few threads, each one blocking on its request, so that the broadcasts the window
// allows reach the server together instead of each waiting for the previous one's answer.
class Posters
{
public:
    Posters(const Options &o, int count)
    {
        for (int i = 0; i < count; ++i)
            m_threads.emplace_back([this, &o] {
                for (;;) {
                    int broadcast;
                    {
                        std::unique_lock<std::mutex> lock(m_mutex);
                        m_wanted.wait(lock, [this] { return m_done || !m_queue.empty(); });
                        if (m_queue.empty())
                            return;
                        broadcast = m_queue.front();
                        m_queue.pop_front();
                    }
                    if (postNotify(o, broadcast) != 200)
                        ++m_failures;
                }
            });
    }
    ~Posters() { finish(); }

    void post(int broadcast)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_queue.push_back(broadcast);
        }
        m_wanted.notify_one();
    }
    // Waits for every POST given; returns how many failed.
    int finish()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_done = true;
        }
        m_wanted.notify_all();
        for (std::thread &thread : m_threads)
            thread.join();
        m_threads.clear();
        return m_failures.load();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wanted;
    std::deque<int> m_queue;
    bool m_done = false;
    std::atomic<int> m_failures{0};
    std::vector<std::thread> m_threads;
};

// The server's system calls over one phase, counted by `perf stat` on its tracepoint (no sampling: exact).
class SyscallCount
{
public:
    explicit SyscallCount(const std::vector<int> &pids)
    {
        if (pids.empty())
            return;
        std::string list;
        for (int pid : pids)
            list += (list.empty() ? "" : ",") + std::to_string(pid);
        m_output = "/tmp/herald-loadgen-syscalls-" + std::to_string(getpid()) + ".csv";
        m_perf = fork();
        if (m_perf == 0) {
            execlp("perf", "perf", "stat", "-x,", "-e", "raw_syscalls:sys_enter", "-p", list.c_str(), "-o",
                   m_output.c_str(), static_cast<char *>(nullptr));
            _exit(127);
        }
        // perf attaches within a few milliseconds; the phase is seconds long.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    // Stops counting; -1 when perf could not count.
    long long stop()
    {
        if (m_perf <= 0)
            return -1;
        kill(m_perf, SIGINT);
        int status = 0;
        waitpid(m_perf, &status, 0);
        std::ifstream in(m_output);
        std::string line;
        long long count = -1;
        while (std::getline(in, line))
            if (line.find("raw_syscalls:sys_enter") != std::string::npos)
                count = std::atoll(line.c_str());
        std::remove(m_output.c_str());
        return count;
    }

private:
    pid_t m_perf = -1;
    std::string m_output;
};

double percentile(std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const auto rank = std::size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

} // namespace

int main(int argc, char **argv)
{
    const Options o = parse(argc, argv);
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    const int perProcess = (o.clients + o.processes - 1) / o.processes;
    if (rlim_t(perProcess) + 64 > files.rlim_cur)
        std::fprintf(stderr,
                     "warning: %d clients per process but only %llu file descriptors (raise ulimit -n or use "
                     "--processes)\n",
                     perProcess, static_cast<unsigned long long>(files.rlim_cur));

    Progress progress(o.totalBroadcasts());
    std::atomic<bool> &stop = *sharedArray<std::atomic<bool>>(1);
    std::vector<std::unique_ptr<ClientThread>> clientThreads;
    const long rssBefore = rssKib(o.serverPids);
    const std::int64_t connectStart = nowNs();
    const int threadCount = o.threads * o.processes;
    for (int t = 0, first = 0; t < threadCount; ++t) {
        const int count = o.clients / threadCount + (t < o.clients % threadCount ? 1 : 0);
        clientThreads.push_back(std::make_unique<ClientThread>(o, progress, first, count));
        first += count;
    }
    // Process p runs client threads p*threads .. (p+1)*threads-1; with one process they run here.
    const auto runClientThreads = [&](int process) {
        std::vector<std::thread> threads;
        for (int t = process * o.threads; t < (process + 1) * o.threads; ++t)
            threads.emplace_back([&clientThread = *clientThreads[std::size_t(t)], &stop] { clientThread.run(stop); });
        return threads;
    };
    std::vector<std::thread> threads;
    std::vector<pid_t> children;
    if (o.processes == 1) {
        threads = runClientThreads(0);
    } else {
        std::fflush(nullptr);
        for (int p = 0; p < o.processes; ++p) {
            const pid_t child = fork();
            if (child < 0) {
                std::perror("herald-loadgen: fork");
                stop = true;
                break;
            }
            if (child == 0) {
                for (std::thread &thread : runClientThreads(p))
                    thread.join();
                _exit(0); // not exit(): the parent's stdio buffers and atexit handlers are the parent's
            }
            children.push_back(child);
        }
    }

    const auto deadline = [&o] { return Clock::now() + std::chrono::seconds(o.timeoutSeconds); };
    progress.waitUntil(deadline(), [&] { return progress.open().load() + progress.failed().load() >= o.clients; });
    const double connectSeconds = double(nowNs() - connectStart) / 1e9;
    const int opened = progress.open().load();
    // Let the welcomes and the server's own bookkeeping settle before reading its memory.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const long rssConnected = rssKib(o.serverPids);
    std::printf("%s: %d/%d clients connected in %.2f s (%.0f per second), %d failed\n", o.label.c_str(), opened,
                o.clients, connectSeconds, opened / connectSeconds, progress.failed().load());

    const int total = o.totalBroadcasts();
    std::vector<std::int64_t> sentAt(std::size_t(total), 0);
    const auto fullyDelivered = [&](int k) {
        return progress.delivered(std::size_t(k)).load() >= o.recipientsOf(k, opened);
    };
    struct PhaseRun {
        int first, end, inFlight;
        std::int64_t startNs;
        long long syscalls;  // the server's over the phase, -1: not counted
        long long bytesRead; // by every client over the phase: the server's egress to them
    };
    std::vector<PhaseRun> runs;
    bool timedOut = false;
    int postFailures = 0;
    Posters posters(o, o.postThreads);
    for (int p = 0, first = 0; p < int(o.phases.size()) && !timedOut; ++p) {
        const Phase &phase = o.phases[std::size_t(p)];
        const int end = first + phase.broadcasts;
        SyscallCount syscalls(o.countSyscalls ? o.serverPids : std::vector<int>());
        const long long bytesBefore = progress.bytesRead().load();
        const std::int64_t start = nowNs();
        int completed = first; // broadcasts first..completed-1 have reached every open client
        for (int k = first; k < end && !timedOut; ++k) {
            if (o.rate > 0) {
                const auto due = std::chrono::nanoseconds(start + std::int64_t(double(k - first) * 1e9 / o.rate));
                std::this_thread::sleep_until(Clock::time_point(due));
            }
            timedOut = !progress.waitUntil(deadline(), [&] {
                while (completed < k && fullyDelivered(completed))
                    ++completed;
                return k - completed < phase.inFlight;
            });
            if (timedOut)
                break;
            sentAt[std::size_t(k)] = nowNs();
            // One at a time needs no poster thread: a hand-over per broadcast would be the tool's time, not the
            // server's.
            if (phase.inFlight == 1 && postNotify(o, k) != 200)
                ++postFailures;
            else if (phase.inFlight > 1)
                posters.post(k);
        }
        if (!timedOut) {
            timedOut = !progress.waitUntil(deadline(), [&] {
                while (completed < end && fullyDelivered(completed))
                    ++completed;
                return completed == end;
            });
        }
        runs.push_back({first, end, phase.inFlight, start, syscalls.stop(), progress.bytesRead().load() - bytesBefore});
        first = end;
    }
    postFailures += posters.finish();
    // With every client still connected, after the traffic: what sending left behind (buffers, contexts).
    const long rssBusy = rssKib(o.serverPids);
    stop = true;
    for (std::thread &thread : threads)
        thread.join();
    for (pid_t child : children)
        waitpid(child, nullptr, 0);
    const long rssAfter = rssKib(o.serverPids);
    const double kibPerConnection =
        rssBefore > 0 && rssConnected > 0 && opened > 0 ? double(rssConnected - rssBefore) / opened : -1;
    const double kibPerConnectionAfter =
        rssBefore > 0 && rssBusy > 0 && opened > 0 ? double(rssBusy - rssBefore) / opened : -1;
    if (rssBefore > 0)
        std::printf("%s: server RSS %ld KiB idle, %ld KiB with %d clients (%.2f KiB per connection), %ld KiB after\n",
                    o.label.c_str(), rssBefore, rssConnected, opened, kibPerConnection, rssAfter);
    if (timedOut || postFailures > 0 || progress.closedByServer().load() > 0)
        std::printf("%s: WARNING timed out: %s, failed POSTs: %d, clients closed by the server: %d\n", o.label.c_str(),
                    timedOut ? "yes" : "no", postFailures, progress.closedByServer().load());

    if (o.deflate)
        std::printf("%s: permessage-deflate agreed by %d of %d clients; the tool inflated %lld compressed frames and "
                    "knew %lld by their bytes\n",
                    o.label.c_str(), progress.compressedClients().load(), opened, progress.inflated().load(),
                    progress.recognised().load());
    for (const PhaseRun &run : runs) {
        std::vector<double> latenciesMs;
        latenciesMs.reserve(std::size_t(opened) * std::size_t(run.end - run.first));
        std::int64_t lastReceipt = run.startNs;
        for (const auto &clientThread : clientThreads) {
            for (const Receipt &r : *clientThread) {
                if (int(r.broadcast) < run.first || int(r.broadcast) >= run.end)
                    continue;
                latenciesMs.push_back(double(r.atNs - sentAt[r.broadcast]) / 1e6);
                lastReceipt = std::max(lastReceipt, r.atNs);
            }
        }
        std::sort(latenciesMs.begin(), latenciesMs.end());
        const int inFlight = run.inFlight;
        std::size_t expected = 0;
        for (int k = run.first; k < run.end; ++k)
            expected += std::size_t(o.recipientsOf(k, opened));
        const double seconds = double(lastReceipt - run.startNs) / 1e9;
        const double perSecond = seconds > 0 ? double(latenciesMs.size()) / seconds : 0;
        const double maxMs = latenciesMs.empty() ? 0.0 : latenciesMs.back();
        // The count spans the phase and the perf start-up margin around it: per delivery, an upper bound.
        const double syscallsPerDelivery =
            run.syscalls >= 0 && !latenciesMs.empty() ? double(run.syscalls) / double(latenciesMs.size()) : -1;
        const double wireBytesPerDelivery =
            latenciesMs.empty() ? 0.0 : double(run.bytesRead) / double(latenciesMs.size());
        std::printf("%s: %d in flight: %zu/%zu deliveries in %.3f s = %.0f messages/s; latency p50 %.2f ms, p99 "
                    "%.2f ms, max %.2f ms; %.3f server system calls per delivery; %.0f bytes on the wire per "
                    "delivery\n",
                    o.label.c_str(), inFlight, latenciesMs.size(), expected, seconds, perSecond,
                    percentile(latenciesMs, 50), percentile(latenciesMs, 99), maxMs, syscallsPerDelivery,
                    wireBytesPerDelivery);
        // One machine-readable line per phase for bench/compare.sh.
        std::printf("RESULT "
                    "{\"label\":\"%s\",\"channels\":%s,\"rate\":%g,\"clients\":%d,\"connected\":%d,\"broadcasts\":%d,"
                    "\"in_flight\":%d,"
                    "\"connect_per_second\":%.0f,\"deliveries\":%zu,\"expected\":%zu,\"messages_per_second\":%.0f,"
                    "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"rss_idle_kib\":%ld,\"rss_connected_kib\":%ld,"
                    "\"kib_per_connection\":%.2f,\"syscalls_per_delivery\":%.4f,\"wire_bytes_per_delivery\":%.1f,"
                    "\"compressed_clients\":%d,\"kib_per_connection_after\":%.2f,\"timed_out\":%s}\n",
                    o.label.c_str(), o.channels() ? "true" : "false", o.rate, o.clients, opened, run.end - run.first,
                    inFlight, opened / connectSeconds, latenciesMs.size(), expected, perSecond,
                    percentile(latenciesMs, 50), percentile(latenciesMs, 99), maxMs, rssBefore, rssConnected,
                    kibPerConnection, syscallsPerDelivery, wireBytesPerDelivery, progress.compressedClients().load(),
                    kibPerConnectionAfter, timedOut ? "true" : "false");
    }
    std::fflush(stdout);
    return timedOut || opened < o.clients ? 1 : 0;
}
