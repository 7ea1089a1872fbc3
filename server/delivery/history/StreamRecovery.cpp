#include "StreamRecovery.h"

#include "sessions/ClientSession.h"
#include "sessions/SessionRegistry.h"

#include <QTimer>

namespace herald {

StreamRecovery::StreamRecovery(History *history, SessionRegistry *sessions, int limit, QObject *parent)
    : QObject(parent)
    , m_history(history)
    , m_limit(limit)
    , m_floorSweep(new QTimer(this))
    , m_replayTimer(new QTimer(this))
{
    m_clock.start();
    m_replayTimer->setSingleShot(true);
    m_replayTimer->setInterval(0);
    connect(m_replayTimer, &QTimer::timeout, this, &StreamRecovery::replaySome);
    connect(sessions, &SessionRegistry::sessionRemoved, this, [this](ClientSession *session) {
        m_recoveries.remove(session);
        m_floors.remove(session);
    });
    m_floorSweep->setInterval(1000);
    connect(m_floorSweep, &QTimer::timeout, this, &StreamRecovery::dropExpiredFloors);
}

void StreamRecovery::dropExpiredFloors()
{
    const qint64 now = m_clock.elapsed();
    for (auto session = m_floors.begin(); session != m_floors.end();) {
        for (auto floor = session->begin(); floor != session->end();)
            floor = floor->untilMs < now ? session->erase(floor) : std::next(floor);
        session = session->isEmpty() ? m_floors.erase(session) : std::next(session);
    }
    if (m_floors.isEmpty())
        m_floorSweep->stop();
}

void StreamRecovery::start(ClientSession *session, const QList<Request> &streams, Finished finished)
{
    Recovery recovery{m_nextId++, {}, std::move(finished)};
    for (const Request &request : streams) {
        StreamState state;
        state.request = request;
        recovery.streams.append(state);
    }
    const quint64 id = recovery.id;
    m_recoveries[session].append(std::move(recovery));
    for (int i = 0; i < streams.size(); ++i)
        m_history->recover(streams[i].stream, streams[i].since, m_limit, this,
                           [this, session, id, i](const HistoryRead &read) { answered(session, id, i, read); });
}

bool StreamRecovery::holds(ClientSession *session, const StreamKey &stream, quint64 offset, const EncodedMessage &frame)
{
    if (const auto floors = m_floors.find(session); floors != m_floors.end()) {
        if (const auto floor = floors->find(stream); floor != floors->end()) {
            if (offset <= floor->offset)
                return true;      // replayed already
            floors->erase(floor); // live from here on
            if (floors->isEmpty())
                m_floors.erase(floors);
        }
    }
    const auto recoveries = m_recoveries.find(session);
    if (recoveries == m_recoveries.end())
        return false;
    for (Recovery &recovery : *recoveries)
        for (StreamState &state : recovery.streams)
            if (state.request.stream == stream && !state.cancelled && !state.overflowed) {
                if (state.waiting.size() >= MaxWaiting) {
                    state.overflowed = true;
                    for (const Waiting &live : std::as_const(state.waiting))
                        session->sendFrame(live.frame);
                    state.waiting.clear();
                    return false;
                }
                // Answered streams wait too, until the whole recovery is done: the answer comes last.
                state.waiting.append({offset, frame});
                return true;
            }
    return false;
}

void StreamRecovery::cancel(ClientSession *session, const StreamKey &stream)
{
    if (const auto floors = m_floors.find(session); floors != m_floors.end())
        floors->remove(stream);
    const auto recoveries = m_recoveries.find(session);
    if (recoveries == m_recoveries.end())
        return;
    for (Recovery &recovery : *recoveries)
        for (StreamState &state : recovery.streams)
            if (state.request.stream == stream) {
                state.cancelled = true;
                state.waiting.clear();
            }
}

void StreamRecovery::answered(ClientSession *session, quint64 id, int index, const HistoryRead &read)
{
    const auto recoveries = m_recoveries.find(session);
    if (recoveries == m_recoveries.end())
        return; // the client left meanwhile
    for (qsizetype r = 0; r < recoveries->size(); ++r) {
        Recovery &recovery = (*recoveries)[r];
        if (recovery.id != id)
            continue;
        recovery.streams[index].answered = true;
        recovery.streams[index].read = read;
        for (const StreamState &state : std::as_const(recovery.streams))
            if (!state.answered)
                return;
        // Replayed from a turn of the loop of its own, a slice at a time: a crowd of clients coming back at once
        // must not hold up the live notifications (their answers arrive together, as a batch of posted events).
        m_ready.append({session, id});
        if (!m_replayTimer->isActive())
            m_replayTimer->start();
        return;
    }
}

void StreamRecovery::replaySome()
{
    qsizetype budget = ReplaySlice;
    while (budget > 0 && !m_ready.isEmpty()) {
        const auto [session, id] = m_ready.takeFirst();
        const auto recoveries = m_recoveries.find(session);
        if (recoveries == m_recoveries.end())
            continue; // the client left meanwhile
        for (qsizetype r = 0; r < recoveries->size(); ++r) {
            if ((*recoveries)[r].id != id)
                continue;
            Recovery done = recoveries->takeAt(r);
            if (recoveries->isEmpty())
                m_recoveries.erase(recoveries);
            for (const StreamState &state : std::as_const(done.streams))
                budget -= state.read.notifications.size() + state.waiting.size() + 1;
            finish(session, std::move(done));
            break;
        }
    }
    if (!m_ready.isEmpty())
        m_replayTimer->start();
}

void StreamRecovery::finish(ClientSession *session, Recovery recovery)
{
    QList<StreamRecoveryResult> results;
    int budget = m_limit;
    for (StreamState &state : recovery.streams) {
        if (state.cancelled)
            continue;
        StreamRecoveryResult result{state.request.stream, state.read.outcome, state.read.position, 0,
                                    state.request.since.has_value()};
        if (state.overflowed && result.outcome == HistoryRead::Outcome::Complete && result.asked)
            result.outcome = HistoryRead::Outcome::TooMany; // what waited went out already
        // The limit is for the whole recovery: a stream that would pass what is left of it is not replayed.
        if (result.outcome == HistoryRead::Outcome::Complete && state.read.notifications.size() > budget)
            result.outcome = HistoryRead::Outcome::TooMany;
        if (result.outcome == HistoryRead::Outcome::Complete && result.asked) {
            budget -= int(state.read.notifications.size());
            for (const KeptNotification &missed : std::as_const(state.read.notifications)) {
                session->sendFrame(missed.frame);
                ++result.replayed;
            }
            // What the history already held came in the replay; what waited past its newest is live.
            bool pastTheReplay = false;
            for (const Waiting &live : std::as_const(state.waiting))
                if (live.offset > state.read.position.offset) {
                    session->sendFrame(live.frame);
                    pastTheReplay = true;
                }
            if (!pastTheReplay && result.replayed > 0) {
                m_floors[session].insert(state.request.stream,
                                         {state.read.position.offset, m_clock.elapsed() + FloorMs});
                m_floorSweep->start();
            }
        } else {
            for (const Waiting &live : std::as_const(state.waiting))
                session->sendFrame(live.frame);
        }
        results.append(result);
    }
    if (!results.isEmpty())
        recovery.finished(session, results);
}

} // namespace herald
