#include "HttpListener.h"

#include "ClientAddressResolver.h"
#include "stream/TcpClientStream.h"
#include "stream/TlsClientStream.h"

#include <QSocketNotifier>
#include <QSslSocket>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace herald {

namespace {

// Accepts per wake-up: a crowd reconnecting at once is taken in batches, between which the loop serves the rest.
constexpr int AcceptsPerWakeUp = 128;
// Out of descriptors: how long to wait before trying again, and how often to say so in the log.
constexpr int ExhaustedPauseMs = 100;
constexpr int ReportIntervalMs = 10'000;

QHostAddress peerAddress(const sockaddr_storage &storage)
{
    QHostAddress address(reinterpret_cast<const sockaddr *>(&storage));
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // an IPv4 client on a dual-stack socket
    if (isV4 && address.protocol() == QAbstractSocket::IPv6Protocol)
        address = QHostAddress(v4);
    return address;
}

quint16 peerPort(const sockaddr_storage &storage)
{
    if (storage.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
}

} // namespace

HttpListener::HttpListener(Settings settings, const ClientAddressResolver *addresses,
                           HttpConnection::Responder responder, UpgradedCount upgradedFrom, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_addresses(addresses)
    , m_responder(std::move(responder))
    , m_upgradedFrom(std::move(upgradedFrom))
{
    m_resume.setSingleShot(true);
    connect(&m_resume, &QTimer::timeout, this, [this] {
        if (m_notifier)
            m_notifier->setEnabled(true);
    });
}

HttpListener::~HttpListener()
{
    close();
}

bool HttpListener::listen(const QHostAddress &address, quint16 port, int backlog, QString *error)
{
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, bytes.c, sizeof bytes.c);
        length = sizeof *in6;
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&storage);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        in4->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof *in4;
    }
    const int descriptor = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int yes = 1;
    // TCP_NODELAY on the listener is inherited by every accepted socket (Linux), so no call per connection: each
    // write (the cork's, once per loop turn) leaves at once instead of waiting behind an unacknowledged one.
    if (descriptor < 0 || ::setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
        ::setsockopt(descriptor, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes) != 0 ||
        ::bind(descriptor, reinterpret_cast<const sockaddr *>(&storage), length) != 0 ||
        ::listen(descriptor, backlog) != 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        if (descriptor >= 0)
            ::close(descriptor);
        return false;
    }
    socklen_t boundLength = sizeof storage;
    ::getsockname(descriptor, reinterpret_cast<sockaddr *>(&storage), &boundLength);
    m_port = peerPort(storage);
    m_descriptor = descriptor;
    m_notifier = new QSocketNotifier(qintptr(descriptor), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &HttpListener::acceptPending);
    return true;
}

void HttpListener::close()
{
    m_resume.stop();
    if (m_notifier) {
        m_notifier->setEnabled(false);
        delete m_notifier;
        m_notifier = nullptr;
    }
    if (m_descriptor >= 0) {
        ::close(m_descriptor);
        m_descriptor = -1;
    }
    const QSet<HttpConnection *> open = m_connections;
    for (HttpConnection *connection : open)
        connection->abort();
}

void HttpListener::acceptPending()
{
    for (int accepted = 0; accepted < AcceptsPerWakeUp && m_descriptor >= 0; ++accepted) {
        sockaddr_storage storage{};
        socklen_t length = sizeof storage;
        const int descriptor =
            ::accept4(m_descriptor, reinterpret_cast<sockaddr *>(&storage), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (descriptor >= 0) {
            serve(descriptor, peerAddress(storage), peerPort(storage));
            continue;
        }
        switch (errno) {
        case EINTR:
        case ECONNABORTED: // the client gave up while it waited in the backlog
        case EPROTO:
            continue;
        case EMFILE:
        case ENFILE:
            pauseAccepting(QStringLiteral("descriptors_exhausted"));
            return;
        case ENOBUFS:
        case ENOMEM:
            pauseAccepting(QStringLiteral("out_of_memory"));
            return;
        default: // EAGAIN: the backlog is empty
            return;
        }
    }
}

void HttpListener::pauseAccepting(const QString &reason)
{
    // The listening socket stays readable while its backlog waits, so trying again at once would spin; the
    // clients wait in the backlog (or time out there) until a descriptor is free.
    m_notifier->setEnabled(false);
    m_resume.start(ExhaustedPauseMs);
    ++m_unreportedFailures;
    emit acceptFailed(reason);
    if (!m_lastReport.isValid() || m_lastReport.elapsed() >= ReportIntervalMs) {
        emit acceptFailing(reason, m_unreportedFailures);
        m_unreportedFailures = 0;
        m_lastReport.start();
    }
}

std::unique_ptr<ClientStream> HttpListener::streamFor(int descriptor, const QHostAddress &peer)
{
    if (!m_settings.tls)
        return std::make_unique<TcpClientStream>(descriptor);
    // No parent: the socket moves to a worker's thread with its client when it upgrades.
    auto *socket = new QSslSocket;
    socket->setSslConfiguration(*m_settings.tls);
    if (!socket->setSocketDescriptor(qintptr(descriptor))) {
        ::close(descriptor);
        delete socket;
        return nullptr;
    }
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, socket, peer] {
        // Usually a client that does not speak TLS or does not trust the certificate; every handshake failing
        // (a key that does not match the certificate, say) shows here too.
        if (!socket->isEncrypted())
            emit tlsHandshakeFailed(peer.toString(), socket->errorString());
    });
    connect(socket, &QSslSocket::encrypted, this, [this, socket] { socket->disconnect(this); });
    socket->startServerEncryption();
    return std::make_unique<TlsClientStream>(socket);
}

void HttpListener::serve(int descriptor, const QHostAddress &peer, quint16 peerPort)
{
    std::unique_ptr<ClientStream> stream = streamFor(descriptor, peer);
    if (!stream)
        return;
    const QString address = peer.toString();
    // A trusted proxy carries many clients on its connections; they are counted by who they are when they
    // upgrade (the forwarded address), not here.
    const bool counted = !m_addresses->isTrusted(peer);
    const bool overLimit =
        counted && m_perAddress.value(address) + m_upgradedFrom(address) >= m_settings.maxConnectionsPerAddress;
    auto *connection = new HttpConnection(std::move(stream), peer, address, peerPort, &m_settings.connection,
                                          m_addresses, &m_responder, this);
    m_connections.insert(connection);
    if (counted && !overLimit)
        ++m_perAddress[address];
    connect(connection, &HttpConnection::requestRefused, this, &HttpListener::requestRefused);
    connect(connection, &HttpConnection::finished, this,
            [this, connection, address, counted, overLimit](const QString &reason) {
                m_connections.remove(connection);
                if (counted && !overLimit) {
                    const auto found = m_perAddress.find(address);
                    if (found != m_perAddress.end() && --*found <= 0)
                        m_perAddress.erase(found);
                }
                emit connectionClosed(reason);
            });
    if (!overLimit) {
        connection->start();
        return;
    }
    const HttpRefusal refusal{429, QStringLiteral("too_many_requests"), QStringLiteral("max_connections_per_ip"),
                              QStringLiteral("%1 already has %2 connections (MAX_CONNECTIONS_PER_IP)")
                                  .arg(address)
                                  .arg(m_settings.maxConnectionsPerAddress)};
    emit requestRefused(refusal, address);
    connection->refuseAtOnce(
        HttpResponse::error(refusal.status, refusal.error, refusal.message).withHeader("Retry-After", "5"));
}

} // namespace herald
