#pragma once

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

namespace herald::test {

// A real QWebSocket client that records every JSON message it receives, so tests can wait for one.
class TestClient : public QObject
{
    Q_OBJECT
public:
    explicit TestClient(QObject *parent = nullptr);

    // Opens the connection and waits for the welcome; false if either does not happen in time.
    bool connectTo(const QUrl &url, int timeoutMs = 5000);
    // Opens the connection without waiting for anything (for endpoints other than /ws, or custom headers).
    void open(const QNetworkRequest &request) { m_socket.open(request); }
    void send(const QJsonObject &message);
    // Asks to join channel and waits for the answer: "subscribed", an error's code, or "no answer".
    QString subscribe(const QString &channel, int timeoutMs = 5000);
    void sendRaw(const QString &text) { m_socket.sendTextMessage(text); }
    void sendBinary(const QByteArray &data) { m_socket.sendBinaryMessage(data); }
    void close() { m_socket.close(); }

    // Waits until a message of the given type has arrived (including one already received and not yet taken),
    // removes it from the queue and returns it; an empty object on timeout.
    QJsonObject waitFor(const QString &type, int timeoutMs = 5000)
    {
        return waitForField(QStringLiteral("type"), type, timeoutMs);
    }
    // The same for a message whose field `key` has `value` (e.g. "event": "snapshot" on the admin channel).
    QJsonObject waitForField(const QString &key, const QString &value, int timeoutMs = 5000);
    QList<QJsonObject> received() const { return m_received; }
    // Every message since the connection opened, taken or not, in the order they came.
    QList<QJsonObject> all() const { return m_all; }
    int countOf(const QString &type) const;

    QString clientId() const { return m_clientId; }
    // The welcome connectTo() waited for.
    QJsonObject welcome() const { return m_welcome; }
    QWebSocket &socket() { return m_socket; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool waitForDisconnected(int timeoutMs = 5000);
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QString closeReason() const { return m_socket.closeReason(); }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_received; // not yet taken by waitFor
    QList<QJsonObject> m_all;
    QString m_clientId;
    QJsonObject m_welcome;
};

} // namespace herald::test
