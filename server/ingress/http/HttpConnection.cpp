#include "HttpConnection.h"

#include "ClientAddressResolver.h"
#include "stream/UpgradedSocket.h"

#include <QScopeGuard>
#include <QTimerEvent>

namespace herald {

namespace {

constexpr qint64 ReadChunkBytes = 16 * 1024;
// Reads per wake-up, so one fast sender cannot keep the loop from everyone else.
constexpr int ReadsPerWakeUp = 4;
// A closed connection's client gets this long to take the answer and close its side; what it sends meanwhile
// is read and dropped, so that the kernel does not reset the connection under the answer.
constexpr int LingerMs = 2000;

QByteArray serialize(const HttpResponse &response, const QList<QPair<QByteArray, QByteArray>> &commonHeaders,
                     bool closeAfter, int versionMinor, bool headOnly)
{
    // Appended into one buffer sized up front: every connection's 101 is written here, and `a + b + c` would
    // allocate once for each piece.
    QByteArray head;
    head.reserve(256 + (headOnly ? 0 : response.body.size()));
    const auto field = [&head](QByteArrayView name, QByteArrayView value) {
        head.append(name).append(": ").append(value).append("\r\n");
    };
    // The status by hand: QByteArray::number() goes through Qt's locale-aware number formatting, ~1,500
    // instructions of each connection's 101 (callgrind).
    const int status = qBound(100, response.status, 999);
    const char code[] = {char('0' + status / 100), char('0' + status / 10 % 10), char('0' + status % 10), ' '};
    head.append("HTTP/1.1 ").append(code, sizeof code);
    head.append(reasonPhrase(response.status)).append("\r\n");
    if (response.status != 101) {
        if (!response.contentType.isEmpty())
            field("Content-Type", response.contentType);
        if (!response.untilClose)
            field("Content-Length", QByteArray::number(response.body.size()));
        for (const auto &[name, value] : commonHeaders)
            field(name, value);
    }
    for (const auto &[name, value] : response.headers)
        field(name, value);
    if (closeAfter)
        head.append("Connection: close\r\n");
    else if (versionMinor == 0)
        head.append("Connection: keep-alive\r\n");
    head.append("\r\n");
    if (!headOnly)
        head.append(response.body);
    return head;
}

// "address:port", the port's digits by hand for the reason serialize() gives.
QString withPort(const QString &address, quint16 port)
{
    char16_t digits[6];
    int at = 6;
    do {
        digits[--at] = char16_t(u'0' + port % 10);
        port /= 10;
    } while (port > 0);
    digits[--at] = u':';
    QString text;
    text.reserve(address.size() + 6 - at);
    text.append(address).append(QStringView(digits + at, 6 - at));
    return text;
}

} // namespace

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 417:
        return "Expectation Failed";
    case 422:
        return "Unprocessable Content";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

HttpConnection::HttpConnection(std::unique_ptr<ClientStream> stream, const QHostAddress &peer, const QString &peerText,
                               quint16 peerPort, const HttpConnectionSettings *settings,
                               const ClientAddressResolver *addresses, const Responder *responder, QObject *parent)
    : QObject(parent)
    , m_stream(std::move(stream))
    , m_peer(peer)
    , m_peerText(peerText)
    , m_peerPort(peerPort)
    , m_settings(settings)
    , m_addresses(addresses)
    , m_responder(responder)
    , m_parser(settings->limits)
{}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_deadline.timerId())
        return QObject::timerEvent(event);
    m_deadline.stop(); // once, as a single-shot QTimer would
    timedOut();
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::start()
{
    m_stream->start(this, this);
    wait(Wait::FirstRequest);
}

void HttpConnection::refuseAtOnce(const HttpResponse &refusal)
{
    m_stream->start(this, this);
    m_closeReason = QStringLiteral("refused");
    send(refusal, true);
}

void HttpConnection::abort()
{
    finish(QStringLiteral("shutdown"));
}

QString HttpConnection::clientAddress() const
{
    return m_addresses->resolve(m_peer, m_peerText, m_parser.request().value("x-forwarded-for"));
}

void HttpConnection::wait(Wait what)
{
    m_waiting = what;
    const HttpTimeouts &timeouts = m_settings->timeouts;
    switch (what) {
    case Wait::FirstRequest:
    case Wait::Head:
        m_deadline.start(timeouts.headerMs, this);
        break;
    case Wait::NextRequest:
        m_deadline.start(timeouts.keepAliveMs, this);
        break;
    case Wait::Body:
    case Wait::Send:
        m_deadline.start(timeouts.bodyMs, this);
        break;
    case Wait::Linger:
        m_deadline.start(LingerMs, this);
        break;
    }
}

void HttpConnection::timedOut()
{
    switch (m_waiting) {
    case Wait::FirstRequest:
        if (!m_parser.hasStarted()) { // nothing came at all: nobody to answer
            finish(QStringLiteral("idle_timeout"));
            return;
        }
        [[fallthrough]];
    case Wait::Head:
        refuse({408, QStringLiteral("request_timeout"), QStringLiteral("header_timeout"),
                QStringLiteral("The request line and headers did not arrive within %1 s (HTTP_HEADER_TIMEOUT)")
                    .arg(m_settings->timeouts.headerMs / 1000.0)});
        return;
    case Wait::Body:
        refuse({408, QStringLiteral("request_timeout"), QStringLiteral("body_timeout"),
                QStringLiteral("The request body did not arrive within %1 s (HTTP_BODY_TIMEOUT)")
                    .arg(m_settings->timeouts.bodyMs / 1000.0)});
        return;
    case Wait::NextRequest:
        finish(QStringLiteral("keepalive_timeout"));
        return;
    case Wait::Send:
        finish(QStringLiteral("send_timeout"));
        return;
    case Wait::Linger:
        finish(m_closeReason);
        return;
    }
}

void HttpConnection::streamReadable()
{
    if (m_state == State::Done || m_state == State::Writing)
        return;
    char buffer[ReadChunkBytes];
    for (int reads = 0; reads < ReadsPerWakeUp; ++reads) {
        const qint64 received = m_stream->read(buffer, sizeof buffer);
        if (received < 0) {
            finish(m_state == State::Lingering ? m_closeReason : QStringLiteral("client_closed"));
            return;
        }
        if (received == 0)
            return;
        if (m_state == State::Lingering)
            continue; // dropped: the answer is out, and nothing more will be read
        m_input.append(buffer, qsizetype(received));
        process();
        if (m_state != State::Reading && m_state != State::Lingering)
            return;
    }
}

void HttpConnection::streamWritable()
{
    if (!m_output.isEmpty() && m_state != State::Done)
        flush();
}

void HttpConnection::process()
{
    // Answers written at once lead straight back here through written(): they continue this loop instead of
    // nesting a call per pipelined request.
    if (m_processing)
        return;
    m_processing = true;
    const auto done = qScopeGuard([this] { m_processing = false; });
    while (m_state == State::Reading && !m_input.isEmpty()) {
        qsizetype consumed = 0;
        const HttpRequestParser::Event event = m_parser.feed(m_input.constData(), m_input.size(), &consumed);
        m_input.remove(0, consumed);
        if (m_waiting == Wait::NextRequest && m_parser.hasStarted())
            wait(Wait::Head); // the keep-alive wait is over; the request's own clock starts
        switch (event) {
        case HttpRequestParser::Event::NeedMore:
            return;
        case HttpRequestParser::Event::HeadComplete:
            wait(Wait::Body);
            if (m_parser.expectsContinue()) {
                m_output += "HTTP/1.1 100 Continue\r\n\r\n";
                flush();
            }
            break;
        case HttpRequestParser::Event::RequestComplete:
            respond();
            break;
        case HttpRequestParser::Event::Failed:
            refuse(m_parser.refusal());
            return;
        }
    }
}

void HttpConnection::respond()
{
    HttpRequest &request = m_parser.request();
    request.peerAddress = m_peer;
    request.peerPort = m_peerPort;
    request.clientAddress = clientAddress();
    const HttpAnswer answer = (*m_responder)(request);
    if (answer.takeOver) {
        if (!upgrade(answer, request))
            finish(QStringLiteral("write_failed"));
        return;
    }
    m_headOnly = request.method == "HEAD";
    send(answer.response, answer.closeAfter || !request.wantsKeepAlive());
}

bool HttpConnection::upgrade(const HttpAnswer &answer, const HttpRequest &request)
{
    // An event stream's 200 gets the security headers every answer gets; a 101 has no body for them to protect.
    const QByteArray switching = answer.response.untilClose
                                     ? serialize(answer.response, m_settings->commonHeaders, true, 1, false)
                                     : serialize(answer.response, {}, false, 1, false);
    // The head is a few hundred bytes on a fresh connection, so the kernel takes it at once; a connection where
    // it does not is dropped rather than waited for, which keeps the hand-over in this one turn of the loop.
    if (!m_output.isEmpty() || m_stream->write(switching.constData(), switching.size()) != switching.size())
        return false;
    m_deadline.stop();
    m_stream->detach();
    UpgradedSocket socket;
    socket.stream = std::move(m_stream);
    socket.pendingInput = std::exchange(m_input, {});
    socket.peer = withPort(request.clientAddress, m_peerPort);
    m_state = State::Done;
    answer.takeOver(std::move(socket));
    emit finished(QStringLiteral("upgraded"));
    deleteLater();
    return true;
}

void HttpConnection::refuse(const HttpRefusal &refusal)
{
    emit requestRefused(refusal, clientAddress());
    m_headOnly = false;
    m_closeReason = QStringLiteral("refused");
    send(HttpResponse::error(refusal.status, refusal.error, refusal.message), true);
}

void HttpConnection::send(const HttpResponse &response, bool closeAfter)
{
    m_closeAfterWrite = closeAfter;
    if (closeAfter && m_closeReason.isEmpty())
        m_closeReason = QStringLiteral("closed_after_answer");
    m_output += serialize(response, m_settings->commonHeaders, closeAfter, m_parser.request().versionMinor, m_headOnly);
    m_state = State::Writing;
    flush();
}

void HttpConnection::flush()
{
    while (m_outputOffset < m_output.size()) {
        const qint64 taken = m_stream->write(m_output.constData() + m_outputOffset, m_output.size() - m_outputOffset);
        if (taken < 0) {
            finish(QStringLiteral("write_failed"));
            return;
        }
        if (taken == 0) { // the client is not reading: read nothing more from it until it does
            m_stream->stopReading();
            if (m_state == State::Writing)
                wait(Wait::Send);
            return;
        }
        m_outputOffset += qsizetype(taken);
    }
    m_output.clear();
    m_outputOffset = 0;
    if (m_state == State::Writing)
        written();
    else if (m_state == State::Reading) // a 100 Continue that had to wait: the body may come now
        m_stream->resumeReading();
}

void HttpConnection::written()
{
    if (m_closeAfterWrite) {
        linger();
        return;
    }
    m_state = State::Reading;
    m_parser.reset();
    m_stream->resumeReading();
    wait(Wait::NextRequest);
    process(); // a pipelined request may already be here
}

void HttpConnection::linger()
{
    m_state = State::Lingering;
    m_input.clear();
    m_stream->shutdownWrite();
    m_stream->resumeReading();
    wait(Wait::Linger);
}

void HttpConnection::finish(const QString &reason)
{
    if (m_state == State::Done)
        return;
    m_state = State::Done;
    m_deadline.stop();
    if (m_stream)
        m_stream->close();
    emit finished(reason);
    deleteLater();
}

} // namespace herald
