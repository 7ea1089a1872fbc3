#pragma once

#include <QJsonObject>
#include <QObject>

namespace herald {

class Server;

// Carries out what an admin console asks, given as JSON, and answers in JSON; the same for the embedded
// console and the /admin WebSocket:
//   {"command":"broadcast","message":...,"type":...,"data":{...},"targets":[client ids]} (no targets: everyone)
//   {"command":"shutdown","reason":...}     {"command":"close_all_now"}     {"command":"snapshot"}
// Every reply is {"reply":<command>,"ok":bool,...,"request_id":<echoed>}; a failure has "error" and "message".
class AdminCommands : public QObject
{
    Q_OBJECT
public:
    explicit AdminCommands(Server *server, QObject *parent = nullptr);

    QJsonObject execute(const QJsonObject &command);

private:
    QJsonObject broadcast(const QJsonObject &command);

    Server *m_server;
};

} // namespace herald
