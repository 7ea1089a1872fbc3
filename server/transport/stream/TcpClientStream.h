#pragma once

#include "ClientStream.h"

#include <sys/types.h>

class QSocketNotifier;

namespace herald {

// A client served on its bare, non-blocking descriptor: nothing is buffered here, and a notifier for
// writing exists only once the kernel has refused a frame.
class TcpClientStream final : public ClientStream
{
public:
    explicit TcpClientStream(int descriptor);
    ~TcpClientStream() override;
    TcpClientStream(const TcpClientStream &) = delete;
    TcpClientStream &operator=(const TcpClientStream &) = delete;

    void start(QObject *owner, Listener *listener) override;
    qint64 read(char *buffer, qint64 capacity) override;
    qint64 write(const char *data, qint64 size) override;
    qint64 writeFrames(const QByteArray *frames, qsizetype count, qsizetype offset) override;
    void stopReading() override;
    void resumeReading() override;
    void detach() override;
    void shutdownWrite() override;
    void close() override;
    void moveToThread(QThread *) override {} // a descriptor belongs to no thread

private:
    // Watches for the kernel taking bytes again after it took fewer than `wanted`, or stops watching.
    qint64 tookSome(ssize_t written, qint64 wanted);

    int m_descriptor;
    QObject *m_owner = nullptr;
    Listener *m_listener = nullptr;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
};

} // namespace herald
