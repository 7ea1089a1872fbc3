#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QTcpSocket>

namespace herald::test {

// An HTTP client on a bare TCP socket, for what a well-behaved library never sends: endless headers, bodies that
// never come, junk, pipelined requests, HTTP/1.0. Waits run the event loop, so an in-process server keeps serving.
class RawHttpClient
{
public:
    struct Response {
        int status = 0; // 0: no whole answer in time
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QJsonObject json;
        QByteArray header(const QByteArray &name) const;
    };

    bool connectTo(quint16 port, int timeoutMs = 5000);
    // Writes and waits until the kernel has taken it; false once the server has closed the connection.
    bool send(const QByteArray &bytes, int timeoutMs = 5000);
    // One whole answer (status line, headers, a body of its Content-Length).
    Response readResponse(int timeoutMs = 5000);
    // Everything the server sent that no readResponse() took, after waiting up to timeoutMs for more.
    QByteArray readRaw(int timeoutMs);
    bool waitForDisconnected(int timeoutMs);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QTcpSocket &socket() { return m_socket; }

private:
    bool waitForBytes(int timeoutMs);

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace herald::test
