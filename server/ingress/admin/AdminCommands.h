#pragma once

#include <QJsonObject>
#include <QObject>

namespace herald {

class AdminFeed;
class Publisher;
class ShutdownCoordinator;

// Carries out what an admin console asks, given as JSON, and answers in JSON; the same for the embedded
// console and the /admin WebSocket:
//   {"command":"broadcast","message":...,"type":...,"data":{...},"targets":[client ids]} (no targets: everyone)
//   {"command":"shutdown","reason":...}     {"command":"close_all_now"}     {"command":"snapshot"}
// Every reply is {"reply":<command>,"ok":bool,...,"request_id":<echoed>}; a failure has "error" and "message".
class AdminCommands : public QObject
{
    Q_OBJECT
public:
    AdminCommands(Publisher *publisher, ShutdownCoordinator *shutdown, AdminFeed *feed, QObject *parent = nullptr);

    QJsonObject execute(const QJsonObject &command);

private:
    QJsonObject broadcast(const QJsonObject &command);

    Publisher *m_publisher;
    ShutdownCoordinator *m_shutdown;
    AdminFeed *m_feed;
};

} // namespace herald
