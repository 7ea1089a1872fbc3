#pragma once

#include "HttpRouter.h"
#include "auth/ClientTokenVerifier.h"
#include "config/Config.h"

#include <functional>

namespace herald {

class ClientCensus;

// Whether a WebSocket client may be served now, decided once per upgrade and in this order: its origin
// (ALLOWED_ORIGINS, 403), its token (CLIENT_JWT_SECRET, 401; the identity it carries is kept), the server's
// state (shutting down, 503), the connection limit (MAX_CONNECTIONS, 503) and its address's share
// (MAX_CONNECTIONS_PER_IP, 429; the front door counts direct peers from their accept, this counts clients a
// trusted proxy forwards). Every refusal carries its metric reason.
class ClientAdmission
{
public:
    ClientAdmission(const Config &config, const ClientCensus *census, std::function<bool()> accepting);

    Admission admit(const HttpRequest &request) const;

private:
    // The channels to join before the welcome: the token's "subscribe" claim (fromToken) and ?channels=a,b, each
    // valid, allowed and within MAX_CHANNELS_PER_CLIENT together, or the refusal.
    Admission channelsAtConnect(const HttpRequest &request, ClientGrant &grant, const QStringList &fromToken) const;

    // ?since=<stream>:<offset>:<epoch> (or Last-Event-ID, the same joined by ','), once per stream: each a stream this
    // connection is in ("$all", "$user" with a token's user, or a channel it joins at connect), or the refusal.
    Admission positionsAtConnect(const HttpRequest &request, ClientGrant &grant) const;

    QStringList m_allowedOrigins;
    QStringList m_publicChannels;
    int m_maxChannelsPerClient;
    int m_maxConnections;
    int m_maxConnectionsPerAddress;
    ClientTokenVerifier m_tokens;
    const ClientCensus *m_census;
    std::function<bool()> m_accepting;
};

} // namespace herald
