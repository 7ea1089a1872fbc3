#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

class QUrl;

namespace herald {

// Checks the signed token (JWT, HS256, verified by libjwt) a WebSocket client presents when CLIENT_JWT_SECRET
// is set, and reads the client's identity from it (the "sub" claim) and the channels it may join ("channels", a
// list of names and "prefix.*" patterns; entries that are neither are ignored) and the channels it is put in at
// connect ("subscribe", a list of names, granted by being listed). "exp" and "nbf", when present, are
// enforced; a token signed with any other algorithm, or with none, is refused.
class ClientTokenVerifier
{
public:
    struct Result {
        bool accepted = false;
        QString identity;      // the "sub" claim, when accepted
        QStringList channels;  // the "channels" claim: channel names and prefix patterns it grants
        QStringList subscribe; // the "subscribe" claim: channels it joins at connect, as given
        QString problem;       // why not, for the 401 and the log (never the token itself)
    };

    explicit ClientTokenVerifier(const QString &secret);

    bool isEnabled() const { return !m_secret.isEmpty(); }
    Result verify(const QByteArray &token, qint64 nowSeconds) const;
    // The token a client sent: "Authorization: Bearer <token>", or ?token= for browsers, which cannot set
    // headers on a WebSocket.
    static QByteArray presentedToken(const QByteArray &authorizationHeader, const QUrl &url);

private:
    QByteArray m_secret;
};

} // namespace herald
