#pragma once

#include <QByteArray>

namespace herald {

struct HttpRequest;

// A shared secret a request must present as "Authorization: Bearer <token>" (or, for browsers' WebSockets,
// which cannot set headers, as ?token=). Compared in constant time; never logged.
class BearerToken
{
public:
    explicit BearerToken(const QString &token);

    bool isSet() const { return !m_token.isEmpty(); }
    // False when no token is set: an unset token admits nobody (callers decide whether to ask at all).
    bool admits(const HttpRequest &request) const;

private:
    QByteArray m_token;
};

} // namespace herald
