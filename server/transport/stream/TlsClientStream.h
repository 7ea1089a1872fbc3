#pragma once

#include "ClientStream.h"

#include <QPointer>

class QSslSocket;

namespace herald {

// A client on TLS, served through the QSslSocket Qt encrypted it with. The socket buffers what it has not
// encrypted and sent yet; this stream takes frames only while that is under a high-water mark, so a slow
// reader's backlog stays in the connection's queue, where its limits apply.
class TlsClientStream final : public ClientStream
{
public:
    // Takes the socket, which has no parent.
    explicit TlsClientStream(QSslSocket *socket);
    ~TlsClientStream() override;
    TlsClientStream(const TlsClientStream &) = delete;
    TlsClientStream &operator=(const TlsClientStream &) = delete;

    void start(QObject *owner, Listener *listener) override;
    qint64 read(char *buffer, qint64 capacity) override;
    qint64 write(const char *data, qint64 size) override;
    void stopReading() override;
    void resumeReading() override;
    void detach() override;
    void shutdownWrite() override;
    void close() override;
    void moveToThread(QThread *thread) override;

private:
    qint64 unsent() const;
    void readAgainIfBuffered();

    QPointer<QSslSocket> m_socket;
    QObject *m_owner = nullptr;
    Listener *m_listener = nullptr;
    bool m_reading = true;
    bool m_writeWanted = false;
};

} // namespace herald
