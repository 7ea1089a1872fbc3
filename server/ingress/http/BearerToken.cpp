#include "BearerToken.h"

#include "HttpRequest.h"

#include <QUrlQuery>

namespace herald {

namespace {

// Compares in time that depends only on the length, so the answer's timing does not leak how much matched.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

QByteArray presentedToken(const HttpRequest &request)
{
    const QByteArray authorization = request.value("authorization");
    if (authorization.startsWith("Bearer "))
        return authorization.mid(7).trimmed();
    return QUrlQuery(request.url).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
}

} // namespace

BearerToken::BearerToken(const QString &token)
    : m_token(token.toUtf8())
{}

bool BearerToken::admits(const HttpRequest &request) const
{
    return isSet() && constantTimeEquals(presentedToken(request), m_token);
}

} // namespace herald
