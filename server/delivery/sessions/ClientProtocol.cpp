#include "ClientProtocol.h"

#include "ChannelIndex.h"
#include "ClientSession.h"
#include "SessionRegistry.h"
#include "history/History.h"
#include "history/StreamRecovery.h"
#include "logging/Logger.h"
#include "metrics/Metrics.h"
#include "protocol/ClientMessage.h"
#include "protocol/JsonWriter.h"
#include "protocol/Protocol.h"
#include "protocol/Timestamp.h"
#include "sessions/ClientCensus.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace herald {

namespace {
QString encode(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void insertAll(QJsonObject &into, const QJsonObject &from)
{
    for (auto it = from.constBegin(); it != from.constEnd(); ++it)
        into.insert(it.key(), it.value());
}

// One stream's part of a "recovery" or "subscribed" answer.
QJsonObject recoveryJson(const StreamRecoveryResult &result)
{
    QJsonObject json = result.position.toJson();
    if (!result.asked)
        return json;
    json.insert(protocol::RecoveredField, result.outcome == HistoryRead::Outcome::Complete);
    json.insert(protocol::ReplayedField, result.replayed);
    if (result.outcome == HistoryRead::Outcome::NotKept) // nothing is kept, so there is no position to give
        json = {{protocol::RecoveredField, false}, {protocol::ReplayedField, 0}};
    if (result.outcome != HistoryRead::Outcome::Complete)
        json.insert(protocol::ReasonField, HistoryRead::reasonName(result.outcome));
    return json;
}
} // namespace

ClientProtocol::ClientProtocol(SessionRegistry *registry, ChannelIndex *channels, History *history,
                               StreamRecovery *recovery, QStringList publicChannels, const ClientCensus *census,
                               Metrics *metrics, Logger *logger, const QElapsedTimer *uptime, QObject *parent)
    : QObject(parent)
    , m_channels(channels)
    , m_history(history)
    , m_recovery(recovery)
    , m_publicChannels(std::move(publicChannels))
    , m_census(census)
    , m_metrics(metrics)
    , m_logger(logger)
    , m_uptime(uptime)
{
    connect(registry, &SessionRegistry::sessionAdded, this, &ClientProtocol::greet);
    connect(registry, &SessionRegistry::textReceived, this, &ClientProtocol::answer);
    connect(registry, &SessionRegistry::binaryReceived, this, &ClientProtocol::refuseBinary);
}

void ClientProtocol::greet(ClientSession *session)
{
    // Written straight to bytes (JsonWriter), keys in the order QJsonDocument used to give them: every client
    // gets a welcome, and built as a QJsonObject it was the largest part of what a connection cost.
    JsonWriter welcome;
    welcome.beginObject();
    // ?channels= was checked at admission (names, grant, limit): the client is in them before its first message.
    const QStringList &channels = session->grant().joinAtConnect;
    for (const QString &channel : channels)
        m_channels->subscribe(session, channel);
    if (!channels.isEmpty()) {
        welcome.key(QLatin1StringView("channels")).beginArray();
        for (const QString &channel : channels)
            welcome.value(QStringView(channel));
        welcome.endArray();
    }
    welcome.key(QLatin1StringView("client_id"))
        .value(QStringView(session->id()))
        .key(QLatin1StringView("message"))
        .value(QLatin1StringView("Connected to Herald"));
    // Where each of its kept streams stands, so that the client can come back to it even if nothing arrives
    // before it leaves. The streams it recovers, and those whose position this instance does not know yet, are
    // answered in a "recovery" after their replay instead.
    QList<StreamRecovery::Request> recoveries;
    QList<NamedPosition> positions = session->grant().recoverAtConnect; // where the client stands, in the welcome
    for (const NamedPosition &since : session->grant().recoverAtConnect)
        if (const std::optional<StreamKey> stream = StreamKey::named(since.stream, session->identity()))
            recoveries.append({*stream, since.position});
    if (m_history->policy().keepsAny()) {
        QList<StreamKey> streams{StreamKey::everyone()};
        if (!session->identity().isEmpty())
            streams.append(StreamKey::user(session->identity()));
        for (const QString &channel : channels)
            streams.append(StreamKey::channel(channel));
        bool anyPosition = false;
        for (const StreamKey &stream : std::as_const(streams)) {
            const bool recovering = std::any_of(recoveries.cbegin(), recoveries.cend(),
                                                [&](const StreamRecovery::Request &r) { return r.stream == stream; });
            if (recovering || !m_history->policy().keeps(stream))
                continue;
            const std::optional<StreamPosition> position = m_history->position(stream);
            if (!position) {
                recoveries.append({stream, std::nullopt});
                continue;
            }
            positions.append({stream.wireName(), *position});
            if (!std::exchange(anyPosition, true))
                welcome.key(protocol::StreamsField).beginObject();
            welcome.key(QStringView(stream.wireName()))
                .beginObject()
                .key(protocol::stream::EpochField)
                .value(QStringView(position->epoch))
                .key(protocol::stream::OffsetField)
                .value(qint64(position->offset))
                .endObject();
        }
        if (anyPosition)
            welcome.endObject();
    }
    welcome.key(QLatin1StringView("timestamp"))
        .value(QStringView(isoTimestampUtc()))
        .key(QLatin1StringView("type"))
        .value(protocol::type::Welcome)
        .endObject();
    session->notePositions(positions);
    session->sendUtf8(welcome.bytes());
    if (!recoveries.isEmpty())
        recover(session, recoveries);
}

void ClientProtocol::recover(ClientSession *session, const QList<StreamRecovery::Request> &requests)
{
    m_recovery->start(session, requests, [this](ClientSession *client, const QList<StreamRecoveryResult> &results) {
        QJsonObject streams;
        QList<NamedPosition> positions;
        for (const StreamRecoveryResult &result : results) {
            streams.insert(result.stream.wireName(), recoveryJson(result));
            if (StreamPosition::isValidEpoch(result.position.epoch))
                positions.append({result.stream.wireName(), result.position});
        }
        client->notePositions(positions);
        client->sendText(encode({{QStringLiteral("type"), protocol::type::Recovery},
                                 {protocol::StreamsField, streams},
                                 {QStringLiteral("timestamp"), isoTimestampUtc()}}));
        logRecovery(client, results);
    });
}

void ClientProtocol::logRecovery(ClientSession *session, const QList<StreamRecoveryResult> &results)
{
    int replayed = 0;
    QStringList incomplete;
    if (std::none_of(results.cbegin(), results.cend(), [](const StreamRecoveryResult &r) { return r.asked; }))
        return; // only positions were asked for
    for (const StreamRecoveryResult &result : results) {
        if (!result.asked)
            continue;
        replayed += result.replayed;
        if (result.outcome != HistoryRead::Outcome::Complete)
            incomplete << QStringLiteral("%1 (%2)").arg(result.stream.wireName(),
                                                        HistoryRead::reasonName(result.outcome));
    }
    m_metrics->recoveryFinished(incomplete.isEmpty(), replayed);
    m_logger->debug(QStringLiteral("client_recovered"), QStringLiteral("Client caught up on what it missed"),
                    {{QStringLiteral("client_id"), session->id()},
                     {QStringLiteral("streams"), int(results.size())},
                     {QStringLiteral("replayed"), replayed},
                     {QStringLiteral("incomplete"), incomplete.join(QStringLiteral(", "))}});
}

void ClientProtocol::answer(ClientSession *session, const QString &text)
{
    const ClientMessage message = ClientMessage::parse(text);
    switch (message.kind) {
    case ClientMessage::Kind::Ping:
        session->sendText(encode({{QStringLiteral("type"), protocol::type::Pong},
                                  {QStringLiteral("client_id"), session->id()},
                                  {QStringLiteral("timestamp"), isoTimestampUtc()}}));
        return;
    case ClientMessage::Kind::StatusRequest:
        session->sendText(encode({{QStringLiteral("type"), protocol::type::Status},
                                  {QStringLiteral("client_id"), session->id()},
                                  {QStringLiteral("connected_clients"), m_census->total()},
                                  {QStringLiteral("uptime_seconds"), double(m_uptime->elapsed()) / 1000.0},
                                  {QStringLiteral("connected_seconds"), session->connectedSeconds()},
                                  {QStringLiteral("messages_received"), qint64(session->traffic().messagesReceived)},
                                  {QStringLiteral("messages_sent"), qint64(session->traffic().messagesSent)},
                                  {QStringLiteral("timestamp"), isoTimestampUtc()}}));
        return;
    case ClientMessage::Kind::Subscribe:
        subscribe(session, message.channel, message.since);
        return;
    case ClientMessage::Kind::Unsubscribe:
        unsubscribe(session, message.channel);
        return;
    case ClientMessage::Kind::Ack:
        emit acknowledged(message.notificationId, session->id(), session->identity());
        return;
    case ClientMessage::Kind::Invalid:
        sendError(session, message.errorCode, message.errorMessage, message.channel);
        return;
    }
}

void ClientProtocol::subscribe(ClientSession *session, const QString &channel,
                               const std::optional<StreamPosition> &since)
{
    if (!session->grant().allows(channel, m_publicChannels)) {
        // The client and the channel, never the token.
        m_logger->warning(QStringLiteral("subscription_refused"),
                          QStringLiteral("A client asked for a channel its token does not grant"),
                          {{QStringLiteral("client_id"), session->id()},
                           {QStringLiteral("identity"), session->identity()},
                           {QStringLiteral("channel"), channel}});
        sendError(session, protocol::error::Forbidden,
                  QStringLiteral("Your token does not grant \"%1\", and it is not public").arg(channel), channel);
        return;
    }
    switch (m_channels->subscribe(session, channel)) {
    case ChannelIndex::Outcome::Done: {
        m_logger->debug(QStringLiteral("client_subscribed"), QStringLiteral("Client subscribed to a channel"),
                        {{QStringLiteral("client_id"), session->id()}, {protocol::ChannelField, channel}});
        QJsonObject subscribed{{QStringLiteral("type"), protocol::type::Subscribed}, {protocol::ChannelField, channel}};
        const StreamKey stream = StreamKey::channel(channel);
        const std::optional<StreamPosition> position =
            since || !m_history->policy().keeps(stream) ? std::nullopt : m_history->position(stream);
        if (since || (m_history->policy().keeps(stream) && !position)) {
            // Subscribed already, so what is published from now on waits in the recovery; the answer follows the
            // replay (or, without since, the position this instance had to ask for).
            m_recovery->start(session, {{stream, since}},
                              [this, subscribed](ClientSession *client, const QList<StreamRecoveryResult> &results) {
                                  QJsonObject answer = subscribed;
                                  insertAll(answer, recoveryJson(results.first()));
                                  answer.insert(QStringLiteral("timestamp"), isoTimestampUtc());
                                  client->sendText(encode(answer));
                                  logRecovery(client, results);
                              });
            return;
        }
        if (position)
            insertAll(subscribed, position->toJson());
        subscribed.insert(QStringLiteral("timestamp"), isoTimestampUtc());
        session->sendText(encode(subscribed));
        return;
    }
    case ChannelIndex::Outcome::AlreadySubscribed:
        sendError(session, protocol::error::AlreadySubscribed,
                  QStringLiteral("Already subscribed to \"%1\"").arg(channel), channel);
        return;
    case ChannelIndex::Outcome::TooManyChannels:
        sendError(session, protocol::error::TooManyChannels,
                  QStringLiteral("At most %1 channels per client (MAX_CHANNELS_PER_CLIENT); unsubscribe from one first")
                      .arg(m_channels->maxChannelsPerClient()),
                  channel);
        return;
    case ChannelIndex::Outcome::NotSubscribed:
        break;
    }
}

void ClientProtocol::unsubscribe(ClientSession *session, const QString &channel)
{
    m_recovery->cancel(session, StreamKey::channel(channel));
    if (m_channels->unsubscribe(session, channel) == ChannelIndex::Outcome::NotSubscribed) {
        sendError(session, protocol::error::NotSubscribed, QStringLiteral("Not subscribed to \"%1\"").arg(channel),
                  channel);
        return;
    }
    session->sendText(encode({{QStringLiteral("type"), protocol::type::Unsubscribed},
                              {protocol::ChannelField, channel},
                              {QStringLiteral("timestamp"), isoTimestampUtc()}}));
}

void ClientProtocol::refuseBinary(ClientSession *session)
{
    sendError(session, protocol::error::BinaryNotSupported,
              QStringLiteral("Binary frames are not supported; send JSON text messages"));
}

void ClientProtocol::sendError(ClientSession *session, const QString &code, const QString &message,
                               const QString &channel)
{
    m_metrics->clientError(code);
    m_logger->debug(QStringLiteral("client_message_rejected"), message,
                    {{QStringLiteral("client_id"), session->id()}, {QStringLiteral("code"), code}});
    QJsonObject error{{QStringLiteral("type"), protocol::type::Error},
                      {QStringLiteral("code"), code},
                      {QStringLiteral("message"), message},
                      {QStringLiteral("timestamp"), isoTimestampUtc()}};
    if (!channel.isEmpty())
        error.insert(protocol::ChannelField, channel);
    session->sendText(encode(error));
}

} // namespace herald
