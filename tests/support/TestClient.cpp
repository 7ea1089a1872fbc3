#include "TestClient.h"

#include <QDeadlineTimer>

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

namespace herald::test {

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
        m_received.append(message);
        m_all.append(message);
    });
}

QString TestClient::subscribe(const QString &channel, int timeoutMs)
{
    send({{QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("channel"), channel}});
    for (QDeadlineTimer deadline(timeoutMs); !deadline.hasExpired();) {
        const QJsonObject subscribed = waitFor(QStringLiteral("subscribed"), 20);
        if (!subscribed.isEmpty())
            return subscribed.value(QStringLiteral("channel")).toString() == channel ? QStringLiteral("subscribed")
                                                                                     : QStringLiteral("other channel");
        const QJsonObject error = waitFor(QStringLiteral("error"), 20);
        if (!error.isEmpty())
            return error.value(QStringLiteral("code")).toString();
    }
    return QStringLiteral("no answer");
}

bool TestClient::connectTo(const QUrl &url, int timeoutMs)
{
    m_socket.open(url);
    m_welcome = waitFor(QStringLiteral("welcome"), timeoutMs);
    m_clientId = m_welcome.value(QStringLiteral("client_id")).toString();
    return !m_clientId.isEmpty();
}

void TestClient::send(const QJsonObject &message)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

QJsonObject TestClient::waitForField(const QString &key, const QString &value, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    do {
        for (qsizetype i = 0; i < m_received.size(); ++i)
            if (m_received[i].value(key).toString() == value)
                return m_received.takeAt(i);
        QSignalSpy spy(&m_socket, &QWebSocket::textMessageReceived);
        spy.wait(int(std::max<qint64>(1, deadline.remainingTime())));
    } while (!deadline.hasExpired());
    return {};
}

int TestClient::countOf(const QString &type) const
{
    return int(std::count_if(m_all.cbegin(), m_all.cend(), [&](const QJsonObject &message) {
        return message.value(QStringLiteral("type")).toString() == type;
    }));
}

bool TestClient::waitForDisconnected(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy spy(&m_socket, &QWebSocket::disconnected);
    return spy.wait(timeoutMs) || m_socket.state() == QAbstractSocket::UnconnectedState;
}

} // namespace herald::test
