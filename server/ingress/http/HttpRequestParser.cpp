#include "HttpRequestParser.h"

#include <cstring>

namespace herald {

namespace {

// A chunk-size line is a hex number and perhaps extensions Herald ignores; nothing honest needs more.
constexpr qsizetype MaxChunkLineBytes = 1024;

// RFC 9110 5.6.2: the characters of a token (method, field name).
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

// Bytes no line of a request may hold: control characters other than horizontal tab (and the CR that ends a
// line, checked where the line ends). The request line, unlike field values, is ASCII without tabs.
bool isForbidden(unsigned char c, bool requestLine)
{
    if (c == '\r')
        return false;
    if (requestLine)
        return c < 0x20 || c >= 0x7f;
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

bool parseDecimal(const QByteArray &text, qint64 *value)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    qint64 result = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
        result = result * 10 + (c - '0');
    }
    *value = result;
    return true;
}

} // namespace

HttpRequestParser::HttpRequestParser(const HttpLimits &limits)
    : m_limits(limits)
{}

void HttpRequestParser::reset()
{
    m_state = State::RequestLine;
    m_request = HttpRequest{};
    m_refusal = HttpRefusal{};
    m_line.clear();
    m_headBytes = 0;
    m_trailerBytes = 0;
    m_bodyLeft = 0;
    m_started = false;
    m_expectsContinue = false;
}

HttpRequestParser::Event HttpRequestParser::feed(const char *data, qsizetype size, qsizetype *consumed)
{
    qsizetype at = 0;
    Event event = Event::NeedMore;
    while (event == Event::NeedMore && at < size) {
        qsizetype taken = 0;
        switch (m_state) {
        case State::RequestLine:
        case State::HeaderLine:
        case State::ChunkSize:
        case State::ChunkDataEnd:
        case State::TrailerLine:
            m_started = true;
            event = takeLine(data + at, size - at, &taken);
            break;
        case State::Body:
        case State::ChunkData: {
            taken = qsizetype(qMin<qint64>(m_bodyLeft, size - at));
            m_request.body.append(data + at, taken);
            m_bodyLeft -= taken;
            m_expectsContinue = false;
            if (m_bodyLeft == 0) {
                if (m_state == State::ChunkData) {
                    m_state = State::ChunkDataEnd;
                } else {
                    m_state = State::Done;
                    event = Event::RequestComplete;
                }
            }
            break;
        }
        case State::Done:
            event = Event::RequestComplete;
            break;
        case State::Failed:
            event = Event::Failed;
            break;
        }
        at += taken;
    }
    if (event == Event::NeedMore && m_state == State::Done)
        event = Event::RequestComplete;
    *consumed = at;
    return event;
}

qint64 HttpRequestParser::lineRoom() const
{
    // The head's and the trailer's counts already hold what arrived of the line being read.
    switch (m_state) {
    case State::RequestLine:
    case State::HeaderLine:
        return m_limits.maxHeadBytes - m_headBytes;
    case State::TrailerLine:
        return m_limits.maxHeadBytes - m_trailerBytes;
    default:
        return MaxChunkLineBytes - m_line.size();
    }
}

HttpRequestParser::Event HttpRequestParser::takeLine(const char *data, qsizetype size, qsizetype *consumed)
{
    const bool requestLine = m_state == State::RequestLine;
    // Only as far as the line may reach: what lies beyond is never looked at, so the verdict on a line is the
    // same however the network split it.
    const qint64 room = lineRoom(); // bytes this line may still take, its LF included
    const qsizetype reach = qsizetype(qMin<qint64>(size, qMax<qint64>(room, 0)));
    qsizetype at = 0;
    for (; at < reach; ++at) {
        const auto c = static_cast<unsigned char>(data[at]);
        if (c == '\n')
            break;
        if (isForbidden(c, requestLine)) {
            *consumed = at + 1;
            return badRequest(QStringLiteral("The request holds a control byte (0x%1) where none may stand")
                                  .arg(int(c), 2, 16, QLatin1Char('0')));
        }
    }
    const bool complete = at < reach;
    if (!complete && reach < size) { // the line goes on past its budget
        *consumed = reach + 1;
        if (m_state == State::ChunkSize || m_state == State::ChunkDataEnd)
            return badRequest(QStringLiteral("A chunk-size line is longer than %1 bytes").arg(MaxChunkLineBytes));
        return headTooLarge();
    }
    const qsizetype lineBytes = at + (complete ? 1 : 0);
    *consumed = lineBytes;
    if (m_state == State::RequestLine || m_state == State::HeaderLine)
        m_headBytes += lineBytes;
    else if (m_state == State::TrailerLine)
        m_trailerBytes += lineBytes;
    if (!complete) {
        m_line.append(data, at);
        return Event::NeedMore;
    }
    // A line that arrived whole (nearly always) is read where it lies; one split across reads is joined first.
    QByteArray joined;
    QByteArrayView line(data, at);
    if (!m_line.isEmpty()) {
        joined = std::exchange(m_line, {});
        joined.append(data, at);
        line = joined;
    }
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.contains('\r'))
        return badRequest(QStringLiteral("A line of the request holds a bare CR"));
    return lineComplete(line);
}

HttpRequestParser::Event HttpRequestParser::lineComplete(QByteArrayView line)
{
    switch (m_state) {
    case State::RequestLine:
        if (line.isEmpty()) // RFC 9112 2.2: empty lines before the request line are ignored
            return Event::NeedMore;
        return requestLine(line);
    case State::HeaderLine:
        return line.isEmpty() ? headComplete() : headerLine(line);
    case State::ChunkSize:
        return chunkSizeLine(line);
    case State::ChunkDataEnd:
        if (!line.isEmpty())
            return badRequest(QStringLiteral("A chunk's data is longer than its size says"));
        m_state = State::ChunkSize;
        return Event::NeedMore;
    case State::TrailerLine:
        if (!line.isEmpty())
            return Event::NeedMore; // trailer fields are read and dropped: nothing Herald serves uses them
        m_state = State::Done;
        return Event::RequestComplete;
    default:
        return Event::NeedMore;
    }
}

HttpRequestParser::Event HttpRequestParser::requestLine(QByteArrayView line)
{
    // Exactly two spaces: METHOD SP target SP version.
    const qsizetype first = line.indexOf(' ');
    const qsizetype second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    if (second < 0 || line.indexOf(' ', second + 1) >= 0)
        return badRequest(QStringLiteral("The request line must be: METHOD target HTTP/1.1"));
    const QByteArrayView method = line.first(first);
    const QByteArray target = line.sliced(first + 1, second - first - 1).toByteArray();
    const QByteArrayView version = line.sliced(second + 1);
    if (!isToken(method))
        return badRequest(QStringLiteral("The request method is not a token"));
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' || version[5] < '0' ||
        version[5] > '9' || version[7] < '0' || version[7] > '9')
        return badRequest(QStringLiteral("The request line does not end in an HTTP version"));
    if (version[5] != '1')
        return fail(505, QStringLiteral("http_version_not_supported"), QStringLiteral("unsupported_version"),
                    QStringLiteral("Herald speaks HTTP/1.0 and HTTP/1.1 on this port"));
    m_request.versionMinor = version[7] == '0' ? 0 : 1;
    m_request.method = method.toByteArray();
    m_request.target = target;

    QByteArray pathAndQuery = target;
    if (target.startsWith("http://") || target.startsWith("https://")) { // absolute-form, as sent to proxies
        const QUrl absolute = QUrl::fromEncoded(target, QUrl::StrictMode);
        if (!absolute.isValid())
            return badRequest(QStringLiteral("The request target is not a valid URL"));
        pathAndQuery = absolute.path(QUrl::FullyEncoded).toLatin1();
        if (pathAndQuery.isEmpty())
            pathAndQuery = "/";
        if (absolute.hasQuery())
            pathAndQuery += '?' + absolute.query(QUrl::FullyEncoded).toLatin1();
    } else if (target == "*") {
        pathAndQuery = "*";
    } else if (!target.startsWith('/')) {
        return badRequest(QStringLiteral("The request target must start with /"));
    }
    const qsizetype question = pathAndQuery.indexOf('?');
    m_request.url.setPath(QString::fromLatin1(question < 0 ? pathAndQuery : pathAndQuery.first(question)),
                          QUrl::TolerantMode);
    if (question >= 0)
        m_request.url.setQuery(QString::fromLatin1(pathAndQuery.mid(question + 1)), QUrl::TolerantMode);
    m_state = State::HeaderLine;
    return Event::NeedMore;
}

HttpRequestParser::Event HttpRequestParser::headerLine(QByteArrayView line)
{
    if (line.front() == ' ' || line.front() == '\t')
        return badRequest(QStringLiteral("Header fields may not be folded over several lines"));
    if (m_request.headers.size() >= m_limits.maxHeaderCount)
        return fail(431, QStringLiteral("request_header_fields_too_large"), QStringLiteral("too_many_headers"),
                    QStringLiteral("The request has more than %1 header fields (MAX_HEADER_COUNT)")
                        .arg(m_limits.maxHeaderCount));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return badRequest(QStringLiteral("A header field must be name: value, the name a token with no space"));
    m_request.headers.append(
        {line.first(colon).toByteArray().toLower(), line.sliced(colon + 1).trimmed().toByteArray()});
    return Event::NeedMore;
}

HttpRequestParser::Event HttpRequestParser::headComplete()
{
    int hosts = 0;
    QByteArray contentLength;
    bool hasContentLength = false;
    QList<QByteArray> transferCodings;
    for (const auto &[name, value] : std::as_const(m_request.headers)) {
        if (name == "host") {
            ++hosts;
        } else if (name == "content-length") {
            // A list of identical values (RFC 9110 8.6) is the same length sent twice; different ones are an attack.
            for (const QByteArray &item : value.split(',')) {
                const QByteArray length = item.trimmed();
                if (hasContentLength && length != contentLength)
                    return badRequest(QStringLiteral("Content-Length is given twice with different values"));
                contentLength = length;
                hasContentLength = true;
            }
        } else if (name == "transfer-encoding") {
            for (const QByteArray &item : value.split(','))
                transferCodings.append(item.trimmed().toLower());
        }
    }
    if (hosts > 1 || (hosts == 0 && m_request.versionMinor == 1))
        return badRequest(QStringLiteral("An HTTP/1.1 request needs exactly one Host header field"));
    if (!transferCodings.isEmpty() && hasContentLength)
        return badRequest(QStringLiteral("A request may not have both Transfer-Encoding and Content-Length"));
    if (!transferCodings.isEmpty() && m_request.versionMinor == 0)
        return badRequest(QStringLiteral("HTTP/1.0 has no Transfer-Encoding"));
    if (!transferCodings.isEmpty() && transferCodings != QList<QByteArray>{"chunked"})
        return fail(501, QStringLiteral("not_implemented"), QStringLiteral("unsupported_transfer_encoding"),
                    QStringLiteral("Herald reads request bodies as they are or chunked, not %1")
                        .arg(QString::fromLatin1(transferCodings.join(", ").left(100))));
    qint64 declared = 0;
    if (hasContentLength && !parseDecimal(contentLength, &declared))
        return badRequest(QStringLiteral("Content-Length is not a number of bytes"));
    if (declared > m_limits.maxBodyBytes)
        return bodyTooLarge(declared);

    const bool chunked = !transferCodings.isEmpty();
    const bool bodyFollows = chunked || declared > 0;
    if (m_request.has("expect")) {
        if (m_request.value("expect").compare("100-continue", Qt::CaseInsensitive) != 0)
            return fail(417, QStringLiteral("expectation_failed"), QStringLiteral("expectation_failed"),
                        QStringLiteral("The only expectation Herald meets is 100-continue"));
        m_expectsContinue = bodyFollows && m_request.versionMinor == 1;
    }
    if (chunked) {
        m_state = State::ChunkSize;
        return Event::HeadComplete;
    }
    if (declared > 0) {
        m_bodyLeft = declared;
        m_state = State::Body;
        return Event::HeadComplete;
    }
    m_state = State::Done;
    return Event::RequestComplete;
}

HttpRequestParser::Event HttpRequestParser::chunkSizeLine(QByteArrayView line)
{
    const qsizetype semicolon = line.indexOf(';');
    const QByteArrayView digits = (semicolon < 0 ? line : line.first(semicolon)).trimmed();
    if (digits.isEmpty() || digits.size() > 15)
        return badRequest(QStringLiteral("A chunk does not start with its size in hexadecimal"));
    qint64 size = 0;
    for (const char c : digits) {
        const int digit = QByteArrayView("0123456789abcdef").indexOf(char(c | 0x20));
        if (digit < 0)
            return badRequest(QStringLiteral("A chunk does not start with its size in hexadecimal"));
        size = size * 16 + digit;
    }
    if (size == 0) {
        m_state = State::TrailerLine;
        return Event::NeedMore;
    }
    if (m_request.body.size() + size > m_limits.maxBodyBytes)
        return bodyTooLarge(m_request.body.size() + size);
    m_bodyLeft = size;
    m_state = State::ChunkData;
    return Event::NeedMore;
}

HttpRequestParser::Event HttpRequestParser::fail(int status, const QString &error, const QString &reason,
                                                 const QString &message)
{
    m_state = State::Failed;
    m_refusal = HttpRefusal{status, error, reason, message};
    return Event::Failed;
}

HttpRequestParser::Event HttpRequestParser::badRequest(const QString &message)
{
    return fail(400, QStringLiteral("bad_request"), QStringLiteral("bad_request"), message);
}

HttpRequestParser::Event HttpRequestParser::headTooLarge()
{
    return fail(
        431, QStringLiteral("request_header_fields_too_large"), QStringLiteral("headers_too_large"),
        QStringLiteral("The request line and headers exceed %1 bytes (MAX_HEADER_SIZE)").arg(m_limits.maxHeadBytes));
}

HttpRequestParser::Event HttpRequestParser::bodyTooLarge(qint64 declared)
{
    return fail(413, QStringLiteral("payload_too_large"), QStringLiteral("body_too_large"),
                QStringLiteral("Request body is %1 bytes; the limit (MAX_BODY_SIZE) is %2 bytes")
                    .arg(declared)
                    .arg(m_limits.maxBodyBytes));
}

} // namespace herald
