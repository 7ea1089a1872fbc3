#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

namespace herald::test {

// A real HTTP endpoint on a loopback port for the webhook tests: it records every request (headers and body)
// and answers each with the next status of a script (200 once the script is used up).
class WebhookReceiver : public QObject
{
    Q_OBJECT
public:
    struct Request {
        QMap<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
    };

    explicit WebhookReceiver(QList<int> statuses = {}, QObject *parent = nullptr);
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/undelivered").arg(m_server.serverPort())); }
    const QList<Request> &requests() const { return m_requests; }

private:
    void serve(QTcpSocket *socket);

    QTcpServer m_server;
    QList<int> m_statuses;
    QList<Request> m_requests;
};

} // namespace herald::test
