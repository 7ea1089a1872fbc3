#include "TcpClientStream.h"

#include <QEvent>
#include <QSocketNotifier>

#include <array>
#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace herald {

namespace {
bool wouldBlock(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK;
}

// A notifier that tells the stream's listener itself, without a signal connection: one would cost each client
// about 250 bytes.
class ListenerNotifier final : public QSocketNotifier
{
public:
    ListenerNotifier(int descriptor, Type type, QObject *parent, ClientStream::Listener *listener)
        : QSocketNotifier(qintptr(descriptor), type, parent)
        , m_listener(listener)
    {}
    void forget() { m_listener = nullptr; }

protected:
    bool event(QEvent *event) override
    {
        if (event->type() != QEvent::SockAct && event->type() != QEvent::SockClose)
            return QSocketNotifier::event(event);
        if (m_listener && type() == Read)
            m_listener->streamReadable();
        else if (m_listener)
            m_listener->streamWritable();
        return true;
    }

private:
    ClientStream::Listener *m_listener;
};
} // namespace

TcpClientStream::TcpClientStream(int descriptor)
    : m_descriptor(descriptor)
{}

TcpClientStream::~TcpClientStream()
{
    close();
}

void TcpClientStream::start(QObject *owner, Listener *listener)
{
    m_owner = owner;
    m_listener = listener;
    if (m_descriptor < 0)
        return;
    m_readNotifier = new ListenerNotifier(m_descriptor, QSocketNotifier::Read, owner, listener);
}

qint64 TcpClientStream::read(char *buffer, qint64 capacity)
{
    if (m_descriptor < 0)
        return -1;
    for (;;) {
        const ssize_t received = ::recv(m_descriptor, buffer, std::size_t(capacity), MSG_DONTWAIT);
        if (received > 0)
            return received;
        if (received < 0 && errno == EINTR)
            continue;
        if (received < 0 && wouldBlock(errno))
            return 0;
        return -1; // end of stream, or the connection failed
    }
}

qint64 TcpClientStream::write(const char *data, qint64 size)
{
    if (m_descriptor < 0)
        return -1;
    ssize_t written;
    do {
        written = ::send(m_descriptor, data, std::size_t(size), MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (written < 0 && errno == EINTR);
    return tookSome(written, size);
}

qint64 TcpClientStream::writeFrames(const QByteArray *frames, qsizetype count, qsizetype offset)
{
    if (m_descriptor < 0)
        return -1;
    // sendmsg rather than writev: writev has no MSG_NOSIGNAL, and a client gone would raise SIGPIPE.
    std::array<iovec, MaxFramesPerWrite> pieces;
    const qsizetype used = std::min(count, MaxFramesPerWrite);
    qint64 wanted = 0;
    for (qsizetype i = 0; i < used; ++i) {
        const qsizetype skip = i == 0 ? offset : 0;
        pieces[std::size_t(i)] = {const_cast<char *>(frames[i].constData()) + skip,
                                  std::size_t(frames[i].size() - skip)};
        wanted += frames[i].size() - skip;
    }
    msghdr message{};
    message.msg_iov = pieces.data();
    message.msg_iovlen = std::size_t(used);
    ssize_t written;
    do {
        written = ::sendmsg(m_descriptor, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (written < 0 && errno == EINTR);
    return tookSome(written, wanted);
}

qint64 TcpClientStream::tookSome(ssize_t written, qint64 wanted)
{
    if (written < 0 && !wouldBlock(errno))
        return -1;
    if (written == wanted) {
        if (m_writeNotifier)
            m_writeNotifier->setEnabled(false);
        return written;
    }
    if (!m_writeNotifier && m_owner)
        m_writeNotifier = new ListenerNotifier(m_descriptor, QSocketNotifier::Write, m_owner, m_listener);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(true);
    return written > 0 ? written : 0;
}

void TcpClientStream::stopReading()
{
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
}

void TcpClientStream::resumeReading()
{
    if (m_readNotifier && m_descriptor >= 0)
        m_readNotifier->setEnabled(true);
}

void TcpClientStream::detach()
{
    // Not deleted here: detach() may run inside the read notifier's own activated() signal.
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (!notifier)
            continue;
        notifier->setEnabled(false);
        static_cast<ListenerNotifier *>(notifier)->forget();
        notifier->deleteLater();
    }
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    m_owner = nullptr;
    m_listener = nullptr;
}

void TcpClientStream::shutdownWrite()
{
    if (m_descriptor >= 0)
        ::shutdown(m_descriptor, SHUT_WR);
}

void TcpClientStream::close()
{
    if (m_descriptor < 0)
        return;
    // Notifiers go quiet before their descriptor closes: the number may be reused at once by another client.
    stopReading();
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    ::close(m_descriptor);
    m_descriptor = -1;
}

} // namespace herald
