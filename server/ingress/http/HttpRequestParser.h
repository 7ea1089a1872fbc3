#pragma once

#include "HttpRequest.h"

#include <QString>

namespace herald {

// What one request may make the server hold (MAX_HEADER_SIZE, MAX_HEADER_COUNT, MAX_BODY_SIZE).
struct HttpLimits {
    qint64 maxHeadBytes = 8 * 1024; // the request line and header fields, line ends included
    int maxHeaderCount = 100;
    qint64 maxBodyBytes = 64 * 1024;
};

// Why a request cannot be served, decided while it arrives: the answer's status and JSON body, and the reason
// the refusal is counted by (herald_http_requests_refused_total).
struct HttpRefusal {
    int status = 0;
    QString error;  // the JSON body's "error"
    QString reason; // the metric's label
    QString message;
};

// An incremental HTTP/1.x request parser (RFC 9112): bytes are pushed in as they arrive and every limit is
// enforced on the way, so a request that crosses one is refused at the byte that crosses it, never after the
// rest has been buffered. No I/O and no Qt objects, like FrameParser: the front door's connection feeds it, and
// the fuzzer does too. Strict where leniency lets requests be read two ways (smuggling): one Host, one
// Content-Length, no obsolete line folding, no control bytes; a bare LF ends a line, as RFC 9112 allows.
class HttpRequestParser
{
public:
    enum class Event {
        NeedMore,        // everything given was taken; more bytes are needed
        HeadComplete,    // the head is in and a body follows (answer 100 Continue now if expectsContinue())
        RequestComplete, // request() is whole; bytes after it belong to the next request (or the WebSocket)
        Failed,          // refusal() says why; the connection gets that answer and is closed
    };

    explicit HttpRequestParser(const HttpLimits &limits);

    // Takes bytes until the next event; *consumed says how many of `size` it took (the rest is not its yet).
    Event feed(const char *data, qsizetype size, qsizetype *consumed);
    // Ready for the next request on the same connection.
    void reset();

    // Whether any byte of the current request has arrived (a connection that sent nothing is closed silently).
    bool hasStarted() const { return m_started; }
    // The head asked for "Expect: 100-continue" and its body has not come yet.
    bool expectsContinue() const { return m_expectsContinue; }
    const HttpRequest &request() const { return m_request; }
    HttpRequest &request() { return m_request; }
    const HttpRefusal &refusal() const { return m_refusal; }

private:
    enum class State { RequestLine, HeaderLine, Body, ChunkSize, ChunkData, ChunkDataEnd, TrailerLine, Done, Failed };

    Event takeLine(const char *data, qsizetype size, qsizetype *consumed);
    Event lineComplete(QByteArrayView line);
    Event requestLine(QByteArrayView line);
    Event headerLine(QByteArrayView line);
    Event headComplete();
    Event chunkSizeLine(QByteArrayView line);
    Event fail(int status, const QString &error, const QString &reason, const QString &message);
    Event badRequest(const QString &message);
    Event headTooLarge();
    Event bodyTooLarge(qint64 declared);
    qint64 lineRoom() const;

    HttpLimits m_limits;
    State m_state = State::RequestLine;
    HttpRequest m_request;
    HttpRefusal m_refusal;
    QByteArray m_line; // the line being read, up to its room
    qint64 m_headBytes = 0;
    qint64 m_trailerBytes = 0;
    qint64 m_bodyLeft = 0; // of the Content-Length, or of the current chunk
    bool m_started = false;
    bool m_expectsContinue = false;
};

} // namespace herald
