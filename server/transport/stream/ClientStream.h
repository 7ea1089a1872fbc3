#pragma once

#include <QByteArray>

class QObject;
class QThread;

namespace herald {

// How a WebSocketConnection reaches its client once the handshake is over: plain TCP on the bare descriptor,
// or TLS through Qt. Both take whole frames or nothing and say when they can take more, so the connection's
// queue, limits and closing handshake are the same for either.
class ClientStream
{
public:
    class Listener
    {
    public:
        virtual void streamReadable() = 0; // read() has bytes, or the end of the stream, to report
        virtual void streamWritable() = 0; // after a write() that took nothing, the stream takes bytes again
    protected:
        ~Listener() = default;
    };

    virtual ~ClientStream() = default;

    // Starts reporting to the listener; whatever the stream watches the connection with is a child of `owner`.
    virtual void start(QObject *owner, Listener *listener) = 0;
    // Bytes copied into `buffer`; 0 when nothing is waiting; -1 at the end of the stream or on failure.
    virtual qint64 read(char *buffer, qint64 capacity) = 0;
    // Bytes taken, possibly fewer than `size`; 0 when none can be taken now (streamWritable() follows once
    // some can); -1 when the connection failed.
    virtual qint64 write(const char *data, qint64 size) = 0;
    // The same for several frames at once, from `offset` into the first: one system call where the transport
    // allows (plain TCP), otherwise one write() after another until one takes less than it was given. At most
    // MaxFramesPerWrite frames are given at once.
    virtual qint64 writeFrames(const QByteArray *frames, qsizetype count, qsizetype offset);
    static constexpr qsizetype MaxFramesPerWrite = 64; // far below IOV_MAX (1,024)
    // Whatever the client sends from now on is not read, until resumeReading().
    virtual void stopReading() = 0;
    virtual void resumeReading() = 0;
    // Stops reporting to the listener and drops what start() made, so that another owner can start() the stream
    // (the front door hands a client's stream to its worker). Safe from inside one of the stream's own reports.
    virtual void detach() = 0;
    // Tells the client nothing more will be sent (TCP: a FIN), once what was taken has gone out; reading goes on.
    virtual void shutdownWrite() = 0;
    // Ends the connection. Bytes already taken still go out where the transport keeps them (TLS).
    virtual void close() = 0;
    // Hands the stream to the thread that will serve it; call from the thread it lives in, before start().
    virtual void moveToThread(QThread *thread) = 0;
};

inline qint64 ClientStream::writeFrames(const QByteArray *frames, qsizetype count, qsizetype offset)
{
    qint64 taken = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const qsizetype skip = i == 0 ? offset : 0;
        const qint64 size = frames[i].size() - skip;
        const qint64 written = write(frames[i].constData() + skip, size);
        if (written < 0)
            return taken > 0 ? taken : -1; // the next write reports the failure
        taken += written;
        if (written < size)
            break;
    }
    return taken;
}

} // namespace herald
