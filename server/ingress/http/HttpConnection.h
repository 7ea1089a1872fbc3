#pragma once

#include "HttpRequestParser.h"
#include "HttpResponse.h"
#include "stream/ClientStream.h"

#include <QBasicTimer>
#include <QObject>
#include <functional>
#include <memory>

namespace herald {

class ClientAddressResolver;

// How long a connection may take over each part of a request, as nginx bounds them (HTTP_HEADER_TIMEOUT,
// HTTP_BODY_TIMEOUT, HTTP_KEEPALIVE_TIMEOUT).
struct HttpTimeouts {
    int headerMs = 10'000;    // from the connection (or the request's first byte) to the end of its head
    int bodyMs = 30'000;      // from the end of the head to the end of the body; also an answer's send time
    int keepAliveMs = 15'000; // an idle connection between requests
};

// Everything a connection of the front door is told once, shared by all of them.
struct HttpConnectionSettings {
    HttpLimits limits;
    HttpTimeouts timeouts;
    QList<QPair<QByteArray, QByteArray>> commonHeaders; // added to every answer (security headers in production)
};

// One TCP (or TLS) connection while it speaks HTTP/1.x: reads requests through HttpRequestParser, which bounds
// them as they arrive, keeps the connection's timers, answers each request in order (pipelining), keeps it
// alive or closes it as HTTP/1.0 and 1.1 say, and hands it over, stream and unread bytes, when a WebSocket
// upgrade is admitted. Whatever it holds is bounded: it stops reading while an answer waits for a client that
// does not read, and a refused request's connection is closed after its answer.
class HttpConnection : public QObject, private ClientStream::Listener
{
    Q_OBJECT
public:
    using Responder = std::function<HttpAnswer(const HttpRequest &)>;

    // peerText: peer as text, which the listener has already written out.
    HttpConnection(std::unique_ptr<ClientStream> stream, const QHostAddress &peer, const QString &peerText,
                   quint16 peerPort, const HttpConnectionSettings *settings, const ClientAddressResolver *addresses,
                   const Responder *responder, QObject *parent = nullptr);
    ~HttpConnection() override;

    void start();
    // Starts by sending this answer and closing, whatever the client says (a connection over a limit).
    void refuseAtOnce(const HttpResponse &refusal);
    // Closes the connection now (the server is going away); finished() follows.
    void abort();
    const QHostAddress &peer() const { return m_peer; }

signals:
    // A request refused before it reached a route (malformed, over a limit, too slow): answered and closed.
    void requestRefused(const herald::HttpRefusal &refusal, const QString &clientAddress);
    // The connection left the front door: closed, or upgraded (reason "upgraded"). Emitted once, then the
    // object deletes itself.
    void finished(const QString &reason);

private:
    enum class State { Reading, Writing, Lingering, Done };
    enum class Wait { FirstRequest, NextRequest, Head, Body, Send, Linger };

    void streamReadable() override;
    void streamWritable() override;
    void timerEvent(QTimerEvent *event) override; // the deadline
    void process();
    void respond();
    void refuse(const HttpRefusal &refusal);
    void send(const HttpResponse &response, bool closeAfter);
    void flush();
    void written();
    bool upgrade(const HttpAnswer &answer, const HttpRequest &request);
    void wait(Wait what);
    void timedOut();
    void linger();
    void finish(const QString &reason);
    QString clientAddress() const;

    std::unique_ptr<ClientStream> m_stream;
    QHostAddress m_peer;
    QString m_peerText;
    quint16 m_peerPort;
    const HttpConnectionSettings *m_settings;
    const ClientAddressResolver *m_addresses;
    const Responder *m_responder; // the listener's, shared by its connections (a copy each was an allocation)
    HttpRequestParser m_parser;
    QBasicTimer m_deadline; // not a QTimer: one QObject less to make and destroy for every connection
    State m_state = State::Reading;
    Wait m_waiting = Wait::FirstRequest;
    QByteArray m_input;  // read but not yet parsed (the next pipelined request, say)
    QByteArray m_output; // an answer the stream has not taken in full
    qsizetype m_outputOffset = 0;
    bool m_closeAfterWrite = false;
    bool m_processing = false;
    bool m_headOnly = false; // answering HEAD: the body is not sent
    QString m_closeReason;
};

} // namespace herald
