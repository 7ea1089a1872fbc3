#include "ClientAdmission.h"

#include "protocol/ChannelName.h"
#include "protocol/Protocol.h"
#include "sessions/ClientCensus.h"

#include <QUrlQuery>

#include <QDateTime>

namespace herald {

namespace {

Admission refused(int status, const QString &error, const QString &reason, const QString &message)
{
    HttpResponse refusal = HttpResponse::error(status, error, message).because(reason);
    if (status == 429 || status == 503)
        refusal.withHeader("Retry-After", "5");
    return Admission::refused(std::move(refusal));
}

} // namespace

ClientAdmission::ClientAdmission(const Config &config, const ClientCensus *census, std::function<bool()> accepting)
    : m_allowedOrigins(config.allowedOrigins)
    , m_publicChannels(config.publicChannels)
    , m_maxChannelsPerClient(config.maxChannelsPerClient)
    , m_maxConnections(config.maxConnections)
    , m_maxConnectionsPerAddress(config.maxConnectionsPerAddress)
    , m_tokens(config.clientJwtSecret)
    , m_census(census)
    , m_accepting(std::move(accepting))
{}

Admission ClientAdmission::channelsAtConnect(const HttpRequest &request, ClientGrant &grant,
                                             const QStringList &fromToken) const
{
    // The token's own list first: the application's server signed it, so listing a channel grants it.
    for (const QString &channel : fromToken)
        if (!ChannelName::isValid(channel))
            return refused(400, QStringLiteral("invalid_channel"), QStringLiteral("invalid_channel"),
                           QStringLiteral("The token's \"subscribe\" claim must list channel names, each %1")
                               .arg(ChannelName::rule()));
    // Most clients come without a query: no QUrlQuery to build for them.
    const QString list = request.url.hasQuery()
                             ? QUrlQuery(request.url).queryItemValue(QStringLiteral("channels"), QUrl::FullyDecoded)
                             : QString();
    QStringList channels = list.split(QLatin1Char(','), Qt::SkipEmptyParts);
    channels.removeDuplicates();
    for (const QString &channel : std::as_const(channels)) {
        if (fromToken.contains(channel))
            continue;
        if (!ChannelName::isValid(channel))
            return refused(400, QStringLiteral("invalid_channel"), QStringLiteral("invalid_channel"),
                           QStringLiteral("?channels= must list channel names, each %1").arg(ChannelName::rule()));
        if (!grant.allows(channel, m_publicChannels))
            return refused(403, QStringLiteral("forbidden"), QStringLiteral("forbidden_channel"),
                           QStringLiteral("The token does not grant \"%1\", and it is not public").arg(channel));
    }
    channels = fromToken + channels;
    channels.removeDuplicates();
    if (channels.size() > m_maxChannelsPerClient)
        return refused(
            400, QStringLiteral("too_many_channels"), QStringLiteral("too_many_channels"),
            QStringLiteral("At most %1 channels per client (MAX_CHANNELS_PER_CLIENT)").arg(m_maxChannelsPerClient));
    grant.joinAtConnect = channels;
    return Admission::admitted(grant);
}

Admission ClientAdmission::positionsAtConnect(const HttpRequest &request, ClientGrant &grant) const
{
    // A reconnecting EventSource's Last-Event-ID is the id of the last event it had: its positions, newer than the
    // ?since= of the address it was first given.
    const QByteArray lastEventId = request.value(protocol::eventstream::LastEventIdHeader.data());
    const QStringList given =
        !lastEventId.isEmpty()
            ? QString::fromUtf8(lastEventId).split(QLatin1Char(protocol::eventstream::PositionSeparator))
        : request.url.hasQuery()
            ? QUrlQuery(request.url).allQueryItemValues(QStringLiteral("since"), QUrl::FullyDecoded)
            : QStringList();
    QStringList streams;
    for (const QString &text : given) {
        const std::optional<NamedPosition> since = NamedPosition::parse(text);
        if (!since)
            return refused(400, QStringLiteral("invalid_position"), QStringLiteral("invalid_position"),
                           QStringLiteral("?since= must be <stream>:<offset>:<epoch> (the stream \"$all\", \"$user\" "
                                          "or a channel; the offset and epoch as a notification carried them)"));
        const bool inStream = since->stream == protocol::stream::Everyone ||
                              (since->stream == protocol::stream::OwnUser && !grant.identity.isEmpty()) ||
                              grant.joinAtConnect.contains(since->stream);
        if (!inStream)
            return refused(400, QStringLiteral("invalid_position"), QStringLiteral("invalid_position"),
                           QStringLiteral("?since= names \"%1\", which this connection is not in (a channel must be "
                                          "in ?channels=; \"$user\" needs a token with a user)")
                               .arg(since->stream.left(ChannelName::MaxLength)));
        if (streams.contains(since->stream))
            return refused(400, QStringLiteral("invalid_position"), QStringLiteral("invalid_position"),
                           QStringLiteral("?since= names \"%1\" twice").arg(since->stream));
        streams.append(since->stream);
        grant.recoverAtConnect.append(*since);
    }
    return Admission::admitted(grant);
}

Admission ClientAdmission::admit(const HttpRequest &request) const
{
    const QString origin = QString::fromUtf8(request.value("origin")).toLower();
    if (!origin.isEmpty() && !m_allowedOrigins.isEmpty() && !m_allowedOrigins.contains(origin))
        return refused(403, QStringLiteral("forbidden_origin"), QStringLiteral("forbidden_origin"),
                       QStringLiteral("Origin %1 is not in ALLOWED_ORIGINS").arg(origin.left(200)));
    ClientGrant grant;
    QStringList subscribeClaim;
    if (m_tokens.isEnabled()) {
        const ClientTokenVerifier::Result token =
            m_tokens.verify(ClientTokenVerifier::presentedToken(request.value("authorization"), request.url),
                            QDateTime::currentSecsSinceEpoch());
        if (!token.accepted) {
            Admission refusal = refused(401, QStringLiteral("unauthorized"), QStringLiteral("unauthorized"),
                                        QStringLiteral("WebSocket clients need a valid token: %1").arg(token.problem));
            refusal.refusal.withHeader("WWW-Authenticate", "Bearer");
            return refusal;
        }
        grant = {token.identity, true, token.channels, {}, {}};
        subscribeClaim = token.subscribe;
    }
    if (Admission channels = channelsAtConnect(request, grant, subscribeClaim); !channels.isAdmitted())
        return channels;
    if (Admission positions = positionsAtConnect(request, grant); !positions.isAdmitted())
        return positions;
    if (!m_accepting())
        return refused(503, QStringLiteral("service_unavailable"), QStringLiteral("shutting_down"),
                       QStringLiteral("Server is shutting down; try another instance"));
    if (m_census->total() >= m_maxConnections)
        return refused(503, QStringLiteral("service_unavailable"), QStringLiteral("max_connections"),
                       QStringLiteral("Server is at its connection limit (%1); try again later").arg(m_maxConnections));
    if (m_census->fromAddress(request.clientAddress) >= m_maxConnectionsPerAddress)
        return refused(429, QStringLiteral("too_many_requests"), QStringLiteral("max_connections_per_ip"),
                       QStringLiteral("%1 already has %2 connections (MAX_CONNECTIONS_PER_IP)")
                           .arg(request.clientAddress)
                           .arg(m_maxConnectionsPerAddress));
    return Admission::admitted(grant);
}

} // namespace herald
