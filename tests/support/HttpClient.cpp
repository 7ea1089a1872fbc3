#include "HttpClient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>

namespace herald::test {

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

HttpResult HttpClient::get(const QUrl &url, int timeoutMs)
{
    return send(url, "GET", {}, {}, timeoutMs);
}

HttpResult HttpClient::post(const QUrl &url, const QByteArray &body, const QByteArray &contentType, int timeoutMs)
{
    return send(url, "POST", body, contentType, timeoutMs);
}

HttpResult HttpClient::send(const QUrl &url, const QByteArray &verb, const QByteArray &body,
                            const QByteArray &contentType, int timeoutMs)
{
    QNetworkRequest request(url);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    for (const auto &[name, value] : std::as_const(m_headers))
        request.setRawHeader(name, value);
    if (m_tls)
        request.setSslConfiguration(*m_tls);
    QNetworkReply *reply = m_manager.sendCustomRequest(request, verb, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult result;
    if (reply->isFinished() || finished.wait(timeoutMs)) {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.json = QJsonDocument::fromJson(result.body).object();
        result.headers = reply->rawHeaderPairs();
    }
    reply->deleteLater();
    return result;
}

} // namespace herald::test
