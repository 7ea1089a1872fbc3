#include "RawHttpClient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QSignalSpy>

namespace herald::test {

QByteArray RawHttpClient::Response::header(const QByteArray &name) const
{
    for (const auto &[headerName, value] : headers)
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

bool RawHttpClient::connectTo(quint16 port, int timeoutMs)
{
    QSignalSpy connected(&m_socket, &QTcpSocket::connected);
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return connected.wait(timeoutMs) || isConnected();
}

bool RawHttpClient::send(const QByteArray &bytes, int timeoutMs)
{
    if (!isConnected())
        return false;
    m_socket.write(bytes);
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.bytesToWrite() > 0 && isConnected() && !deadline.hasExpired()) {
        QSignalSpy written(&m_socket, &QTcpSocket::bytesWritten);
        written.wait(int(qMax<qint64>(1, qMin<qint64>(100, deadline.remainingTime()))));
    }
    return isConnected() && m_socket.bytesToWrite() == 0;
}

bool RawHttpClient::waitForBytes(int timeoutMs)
{
    if (m_socket.bytesAvailable() > 0) {
        m_buffer += m_socket.readAll();
        return true;
    }
    if (!isConnected())
        return false;
    QSignalSpy ready(&m_socket, &QTcpSocket::readyRead);
    QSignalSpy gone(&m_socket, &QTcpSocket::disconnected);
    QDeadlineTimer deadline(timeoutMs);
    while (ready.isEmpty() && gone.isEmpty() && !deadline.hasExpired())
        ready.wait(int(qMax<qint64>(1, qMin<qint64>(50, deadline.remainingTime()))));
    const QByteArray arrived = m_socket.readAll();
    m_buffer += arrived;
    return !arrived.isEmpty();
}

RawHttpClient::Response RawHttpClient::readResponse(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_buffer.contains("\r\n\r\n")) {
        if (deadline.hasExpired() || !waitForBytes(int(deadline.remainingTime())))
            return {};
    }
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    Response response;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        response.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    const qsizetype length = response.header("Content-Length").toLongLong();
    while (m_buffer.size() < headEnd + 4 + length) {
        if (deadline.hasExpired() || !waitForBytes(int(deadline.remainingTime())))
            return {};
    }
    const QList<QByteArray> statusLine = lines.first().split(' ');
    response.status = statusLine.size() > 1 ? statusLine[1].toInt() : 0;
    response.body = m_buffer.mid(headEnd + 4, length);
    response.json = QJsonDocument::fromJson(response.body).object();
    m_buffer.remove(0, headEnd + 4 + length);
    return response;
}

QByteArray RawHttpClient::readRaw(int timeoutMs)
{
    waitForBytes(timeoutMs);
    return std::exchange(m_buffer, {});
}

bool RawHttpClient::waitForDisconnected(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy gone(&m_socket, &QTcpSocket::disconnected);
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired()) {
        m_buffer += m_socket.readAll();
        gone.wait(int(qMax<qint64>(1, qMin<qint64>(50, deadline.remainingTime()))));
    }
    m_buffer += m_socket.readAll();
    return m_socket.state() == QAbstractSocket::UnconnectedState;
}

} // namespace herald::test
