#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QUrl>
#include <QUrlQuery>

namespace herald::test {

// The CLIENT_JWT_SECRET the tests' servers verify client tokens with.
inline const QByteArray ClientTokenSecret = "a-client-token-secret-of-32-bytes!";

// A client token, built here with Qt's HMAC rather than with libjwt, which the server uses: a test that shares
// the implementation under test could not catch its mistakes.
inline QByteArray signedToken(const QJsonObject &claims, const QByteArray &secret = ClientTokenSecret,
                              const QByteArray &algorithm = "HS256")
{
    const auto base64 = [](const QByteArray &bytes) {
        return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QJsonObject header{{"alg", QString::fromLatin1(algorithm)}, {"typ", "JWT"}};
    const QByteArray signingInput = base64(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
                                    base64(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    if (algorithm == "none")
        return signingInput + '.';
    return signingInput + '.' +
           base64(QMessageAuthenticationCode::hash(signingInput, secret, QCryptographicHash::Sha256));
}

// url with ?token=, as browsers send a token.
inline QUrl withToken(QUrl url, const QByteArray &token)
{
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("token"), QString::fromLatin1(token));
    url.setQuery(query);
    return url;
}

// A token for user that expires in a minute.
inline QByteArray tokenFor(const QString &user)
{
    return signedToken({{"sub", user}, {"exp", QDateTime::currentSecsSinceEpoch() + 60}});
}

} // namespace herald::test
