/* floor-server: the floor of bench/compare.sh, not a product. One thread, epoll, the same /ws + POST /notify
 * contract: it frames each notification once and writes the same bytes to every client, which is about as
 * little work as a broadcast can be on this machine. If the load tool can keep up with this, it is not what
 * limits the other servers. Usage: floor-server PORT */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum kind { HTTP, WS };

struct conn {
    int fd;
    enum kind kind;
    char *in;
    size_t in_len, in_cap;
    char *out; /* bytes the kernel did not take yet */
    size_t out_len, out_cap;
    size_t index; /* in clients[], for WebSocket clients */
};

static int epfd;
static struct conn **clients;
static size_t client_count, client_cap;
static unsigned long long sequence;

static void append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
    if (*len + n > *cap) {
        *cap = (*len + n) * 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, data, n);
    *len += n;
}

static void watch(struct conn *c, uint32_t events, int op)
{
    struct epoll_event ev = {.events = events, .data.ptr = c};
    epoll_ctl(epfd, op, c->fd, &ev);
}

static void drop(struct conn *c)
{
    if (c->kind == WS) {
        clients[c->index] = clients[--client_count];
        clients[c->index]->index = c->index;
    }
    close(c->fd);
    free(c->in);
    free(c->out);
    free(c);
}

/* Writes what it can now and keeps the rest for EPOLLOUT; returns -1 if the connection is gone. */
static int send_bytes(struct conn *c, const char *data, size_t n)
{
    if (c->out_len == 0) {
        ssize_t put = write(c->fd, data, n);
        if (put < 0 && errno != EAGAIN)
            return -1;
        if (put < 0)
            put = 0;
        data += put;
        n -= (size_t)put;
        if (n == 0)
            return 0;
        watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
    }
    append(&c->out, &c->out_len, &c->out_cap, data, n);
    return 0;
}

static void upgrade(struct conn *c, const char *key, size_t key_len)
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    char joined[256];
    unsigned char digest[SHA_DIGEST_LENGTH];
    char accept[64];
    char response[256];
    if (key_len > 128)
        key_len = 128;
    memcpy(joined, key, key_len);
    memcpy(joined + key_len, guid, sizeof guid - 1);
    SHA1((const unsigned char *)joined, key_len + sizeof guid - 1, digest);
    EVP_EncodeBlock((unsigned char *)accept, digest, SHA_DIGEST_LENGTH);
    const int n = snprintf(response, sizeof response,
                           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: %s\r\n\r\n",
                           accept);
    c->kind = WS;
    if (client_count == client_cap) {
        client_cap = client_cap ? client_cap * 2 : 1024;
        clients = realloc(clients, client_cap * sizeof *clients);
    }
    c->index = client_count;
    clients[client_count++] = c;
    send_bytes(c, response, (size_t)n);
}

static void reply(struct conn *c, int status, const char *body)
{
    char response[512];
    const int n = snprintf(response, sizeof response,
                           "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                           "Connection: close\r\n\r\n%s",
                           status, status == 200 ? "OK" : "Bad Request", strlen(body), body);
    send_bytes(c, response, (size_t)n);
    shutdown(c->fd, SHUT_WR);
}

/* The one frame every client gets: header and payload built once per notification. */
static void broadcast(const char *message, size_t message_len)
{
    char payload[4096];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    const int payload_len = snprintf(payload, sizeof payload,
                                     "{\"type\":\"notification\",\"message\":\"%.*s\",\"data\":null,\"id\":\"%llu\","
                                     "\"timestamp\":%lld.%03ld}",
                                     (int)message_len, message, ++sequence, (long long)now.tv_sec,
                                     now.tv_nsec / 1000000);
    char frame[4100];
    size_t header = 2;
    frame[0] = (char)0x81;
    if (payload_len < 126) {
        frame[1] = (char)payload_len;
    } else {
        frame[1] = 126;
        frame[2] = (char)(payload_len >> 8);
        frame[3] = (char)(payload_len & 0xff);
        header = 4;
    }
    memcpy(frame + header, payload, (size_t)payload_len);
    const size_t frame_len = header + (size_t)payload_len;
    for (size_t i = 0; i < client_count;) {
        struct conn *c = clients[i];
        if (send_bytes(c, frame, frame_len) < 0) {
            drop(c); /* moves the last client into slot i */
            continue;
        }
        ++i;
    }
}

static void handle_http(struct conn *c)
{
    char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    if (!end)
        return;
    const size_t head_len = (size_t)(end - c->in) + 4;
    if (strncmp(c->in, "GET /ws ", 8) == 0) {
        char *key = memmem(c->in, head_len, "Sec-WebSocket-Key: ", 19);
        if (!key)
            return reply(c, 400, "{\"error\":\"no key\"}");
        key += 19;
        upgrade(c, key, strcspn(key, "\r"));
        c->in_len = 0;
        return;
    }
    if (strncmp(c->in, "POST /notify ", 13) == 0) {
        char *length = memmem(c->in, head_len, "Content-Length: ", 16);
        const size_t body_len = length ? strtoul(length + 16, NULL, 10) : 0;
        if (c->in_len < head_len + body_len)
            return;
        /* Not a JSON parser: the floor only needs the message the load tool sends. */
        char *message = memmem(c->in + head_len, body_len, "\"message\":\"", 11);
        if (!message)
            return reply(c, 400, "{\"error\":\"message required\"}");
        message += 11;
        const size_t message_len = strcspn(message, "\"");
        broadcast(message, message_len);
        char body[128];
        snprintf(body, sizeof body, "{\"status\":\"sent\",\"recipients\":%zu}", client_count);
        c->in_len = 0;
        return reply(c, 200, body);
    }
    reply(c, 400, "{\"error\":\"not_found\"}");
}

int main(int argc, char **argv)
{
    const int port = argc > 1 ? atoi(argv[1]) : 8000;
    signal(SIGPIPE, SIG_IGN);
    const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        perror("floor-server");
        return 1;
    }
    epfd = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev);
    printf("floor-server listening on %d\n", port);
    fflush(stdout);
    struct epoll_event events[1024];
    char buffer[65536];
    for (;;) {
        const int ready = epoll_wait(epfd, events, 1024, -1);
        for (int i = 0; i < ready; ++i) {
            struct conn *c = events[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *fresh = calloc(1, sizeof *fresh);
                    fresh->fd = fd;
                    watch(fresh, EPOLLIN, EPOLL_CTL_ADD);
                }
                continue;
            }
            if (events[i].events & EPOLLOUT) {
                const ssize_t put = write(c->fd, c->out, c->out_len);
                if (put < 0 && errno != EAGAIN) {
                    drop(c);
                    continue;
                }
                if (put > 0) {
                    memmove(c->out, c->out + put, c->out_len - (size_t)put);
                    c->out_len -= (size_t)put;
                }
                if (c->out_len == 0)
                    watch(c, EPOLLIN, EPOLL_CTL_MOD);
            }
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                const ssize_t got = read(c->fd, buffer, sizeof buffer);
                if (got == 0 || (got < 0 && errno != EAGAIN)) {
                    drop(c);
                    continue;
                }
                if (got > 0 && c->kind == HTTP) {
                    append(&c->in, &c->in_len, &c->in_cap, buffer, (size_t)got);
                    handle_http(c);
                } /* frames from WebSocket clients (pongs, closes) are read and ignored */
            }
        }
    }
}
