#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSslConfiguration>
#include <QUrl>
#include <optional>

namespace herald::test {

struct HttpResult {
    int status = 0; // 0: no answer in time
    QByteArray body;
    QJsonObject json;
    QByteArray header(const QByteArray &name) const;
    QList<QPair<QByteArray, QByteArray>> headers;
};

// Plain HTTP calls that wait (running the event loop) for the answer.
class HttpClient
{
public:
    // Sent with every request from now on (e.g. Authorization).
    void setHeader(const QByteArray &name, const QByteArray &value) { m_headers.append({name, value}); }
    // What https:// requests trust (the test's own certificate authority, say).
    void setTlsConfiguration(const QSslConfiguration &tls) { m_tls = tls; }
    HttpResult get(const QUrl &url, int timeoutMs = 5000);
    HttpResult post(const QUrl &url, const QByteArray &body, const QByteArray &contentType = "application/json",
                    int timeoutMs = 5000);
    HttpResult send(const QUrl &url, const QByteArray &verb, const QByteArray &body = {},
                    const QByteArray &contentType = {}, int timeoutMs = 5000);

private:
    QNetworkAccessManager m_manager;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    std::optional<QSslConfiguration> m_tls;
};

} // namespace herald::test
