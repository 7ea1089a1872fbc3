#include "TlsClientStream.h"

#include <QSslSocket>
#include <QThread>
#include <QTimer>

namespace herald {

namespace {
// What a client may have waiting inside the TLS socket; more waits as whole frames in the connection's queue.
constexpr qint64 HighWaterBytes = 64 * 1024;
// Qt's read buffer, so that a client sending faster than it is read waits in the kernel, not in memory here.
constexpr qint64 ReadBufferBytes = 64 * 1024;
// A closed connection's last bytes (the close frame, TLS's own close_notify) get this long to go out.
constexpr int LingerMs = 5000;
} // namespace

TlsClientStream::TlsClientStream(QSslSocket *socket)
    : m_socket(socket)
{
    m_socket->setReadBufferSize(ReadBufferBytes);
}

TlsClientStream::~TlsClientStream()
{
    close();
}

void TlsClientStream::start(QObject *owner, Listener *listener)
{
    m_owner = owner;
    m_listener = listener;
    if (!m_socket)
        return;
    QObject::connect(m_socket, &QIODevice::readyRead, owner, [this] {
        if (!m_reading || !m_listener)
            return;
        m_listener->streamReadable();
        readAgainIfBuffered();
    });
    QObject::connect(m_socket, &QAbstractSocket::disconnected, owner, [this] { m_listener->streamReadable(); });
    const auto drained = [this] {
        if (m_writeWanted && m_socket && unsent() < HighWaterBytes) {
            m_writeWanted = false;
            m_listener->streamWritable();
        }
    };
    QObject::connect(m_socket, &QIODevice::bytesWritten, owner, drained);
    QObject::connect(m_socket, &QSslSocket::encryptedBytesWritten, owner, drained);
    readAgainIfBuffered(); // what arrived while the connection was handed over
}

void TlsClientStream::readAgainIfBuffered()
{
    // Qt signals readyRead only for new bytes: whatever one wake-up left unread is picked up on the next turn.
    // Not once detached: the next owner starts its own reading.
    if (m_owner && m_reading && m_socket && m_socket->bytesAvailable() > 0)
        QTimer::singleShot(0, m_owner, [this, owner = m_owner] {
            if (m_owner == owner && m_reading && m_socket && m_socket->bytesAvailable() > 0) {
                m_listener->streamReadable();
                readAgainIfBuffered();
            }
        });
}

qint64 TlsClientStream::read(char *buffer, qint64 capacity)
{
    if (!m_socket)
        return -1;
    const qint64 received = m_socket->read(buffer, capacity);
    if (received > 0)
        return received;
    if (received < 0 || m_socket->state() != QAbstractSocket::ConnectedState)
        return -1;
    return 0;
}

qint64 TlsClientStream::write(const char *data, qint64 size)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return -1;
    if (unsent() >= HighWaterBytes) {
        m_writeWanted = true;
        return 0;
    }
    return m_socket->write(data, size);
}

qint64 TlsClientStream::unsent() const
{
    return m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
}

void TlsClientStream::stopReading()
{
    m_reading = false;
}

void TlsClientStream::resumeReading()
{
    m_reading = true;
    if (m_owner)
        readAgainIfBuffered();
}

void TlsClientStream::detach()
{
    if (m_socket && m_owner)
        QObject::disconnect(m_socket, nullptr, m_owner, nullptr);
    m_owner = nullptr;
    m_listener = nullptr;
    m_reading = true;
    m_writeWanted = false;
}

void TlsClientStream::shutdownWrite()
{
    // TLS has no half-close Qt exposes: close_notify and the TCP close follow once the socket's buffer is out.
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->disconnectFromHost();
}

void TlsClientStream::close()
{
    if (!m_socket)
        return;
    QSslSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(); // from the connection, which may be going away
    m_reading = false;
    if (socket->state() == QAbstractSocket::UnconnectedState) {
        socket->deleteLater();
        return;
    }
    // The socket outlives this stream until what it holds is sent and TLS is closed, or LingerMs has passed.
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(LingerMs, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

void TlsClientStream::moveToThread(QThread *thread)
{
    if (m_socket)
        m_socket->moveToThread(thread);
}

} // namespace herald
