#include "ClientTokenVerifier.h"

#include "protocol/ChannelName.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cstdlib>

#include <QUrl>
#include <QUrlQuery>

#include <jwt.h>
#include <memory>

namespace herald {

namespace {
// Clocks of the token's issuer and of this server may disagree by this much.
constexpr qint64 ClockSkewSeconds = 30;

struct JwtDeleter {
    void operator()(jwt_t *jwt) const { jwt_free(jwt); }
};
using Jwt = std::unique_ptr<jwt_t, JwtDeleter>;

// A numeric claim, or -1 when the token has none (libjwt reports absence through errno).
long numericClaim(jwt_t *jwt, const char *name)
{
    errno = 0;
    const long value = jwt_get_grant_int(jwt, name);
    return errno == ENOENT ? -1 : value;
}
} // namespace

ClientTokenVerifier::ClientTokenVerifier(const QString &secret)
    : m_secret(secret.toUtf8())
{}

ClientTokenVerifier::Result ClientTokenVerifier::verify(const QByteArray &token, qint64 nowSeconds) const
{
    Result result;
    if (token.isEmpty()) {
        result.problem = QStringLiteral("a token is required (Authorization: Bearer <jwt>, or ?token=<jwt>)");
        return result;
    }
    jwt_t *decoded = nullptr;
    const int error = jwt_decode(&decoded, token.constData(),
                                 reinterpret_cast<const unsigned char *>(m_secret.constData()), int(m_secret.size()));
    const Jwt jwt(decoded);
    if (error != 0 || !jwt) {
        result.problem = QStringLiteral("the token is malformed or its signature does not match");
        return result;
    }
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) {
        result.problem = QStringLiteral("the token must be signed with HS256");
        return result;
    }
    const long expires = numericClaim(jwt.get(), "exp");
    if (expires >= 0 && nowSeconds > expires + ClockSkewSeconds) {
        result.problem = QStringLiteral("the token expired");
        return result;
    }
    const long notBefore = numericClaim(jwt.get(), "nbf");
    if (notBefore >= 0 && nowSeconds + ClockSkewSeconds < notBefore) {
        result.problem = QStringLiteral("the token is not valid yet");
        return result;
    }
    const char *subject = jwt_get_grant(jwt.get(), "sub");
    if (!subject || !*subject) {
        result.problem = QStringLiteral("the token names no client (claim \"sub\")");
        return result;
    }
    result.accepted = true;
    result.identity = QString::fromUtf8(subject).left(200);
    if (char *granted = jwt_get_grants_json(jwt.get(), "channels")) {
        for (const QJsonValue &pattern : QJsonDocument::fromJson(granted).array())
            if (ChannelName::isValidPattern(pattern.toString()))
                result.channels.append(pattern.toString());
        ::free(granted);
    }
    if (char *listed = jwt_get_grants_json(jwt.get(), "subscribe")) {
        for (const QJsonValue &channel : QJsonDocument::fromJson(listed).array())
            result.subscribe.append(channel.isString() ? channel.toString() : QString()); // checked at admission
        ::free(listed);
    }
    return result;
}

QByteArray ClientTokenVerifier::presentedToken(const QByteArray &authorizationHeader, const QUrl &url)
{
    if (authorizationHeader.startsWith("Bearer "))
        return authorizationHeader.mid(7).trimmed();
    return QUrlQuery(url).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
}

} // namespace herald
