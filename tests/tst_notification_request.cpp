#include "notification/NotificationRequest.h"
#include "protocol/ClientMessage.h"
#include "protocol/JsonWriter.h"
#include "protocol/Timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace herald;
using Outcome = NotificationRequest::Validation::Outcome;

class NotificationRequestTest : public QObject
{
    Q_OBJECT
private slots:
    void timestampsReadAsQtWritesThem_data()
    {
        QTest::addColumn<qint64>("msSinceEpoch");
        QTest::newRow("epoch") << qint64(0);
        QTest::newRow("before the epoch") << qint64(-1);
        QTest::newRow("leap day")
            << QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59, 999), QTimeZone::utc()).toMSecsSinceEpoch();
        QTest::newRow("century not leap")
            << QDateTime(QDate(2100, 3, 1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        QTest::newRow("year 2000")
            << QDateTime(QDate(2000, 2, 29), QTime(12, 30, 5, 7), QTimeZone::utc()).toMSecsSinceEpoch();
        QTest::newRow("year 9999")
            << QDateTime(QDate(9999, 12, 31), QTime(23, 59), QTimeZone::utc()).toMSecsSinceEpoch();
        QTest::newRow("now") << QDateTime::currentMSecsSinceEpoch();
    }

    void timestampsReadAsQtWritesThem()
    {
        QFETCH(qint64, msSinceEpoch);
        QCOMPARE(isoTimestampUtc(msSinceEpoch),
                 QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toUTC().toString(Qt::ISODateWithMs));
        // Every day of four years, at a time of day that changes with it.
        if (QByteArray(QTest::currentDataTag()) == "now")
            for (qint64 day = 0; day < 4 * 366; ++day) {
                const qint64 at = msSinceEpoch + day * 86400000 + day * 7919;
                QCOMPARE(isoTimestampUtc(at), QDateTime::fromMSecsSinceEpoch(at).toUTC().toString(Qt::ISODateWithMs));
            }
    }

    void jsonWriterOutputParsesBackWithEveryCharacter()
    {
        QString awkward = QStringLiteral("quote \" backslash \\ newline \n tab \t é 日本 ");
        for (char16_t control = 0; control < 0x20; ++control)
            awkward.append(QChar(control));
        JsonWriter writer;
        writer.beginObject()
            .key(QLatin1StringView("text"))
            .value(QStringView(awkward))
            .key(QLatin1StringView("list"))
            .beginArray()
            .value(qint64(9007199254740991))
            .value(true)
            .beginObject()
            .endObject()
            .endArray()
            .key(QLatin1StringView("latin1"))
            .value(QLatin1StringView("plain"))
            .endObject();
        QJsonParseError error;
        const QJsonObject parsed = QJsonDocument::fromJson(writer.bytes(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(parsed.value(QLatin1StringView("text")).toString(), awkward);
        const QJsonArray list = parsed.value(QLatin1StringView("list")).toArray();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(0).toInteger(), qint64(9007199254740991));
        QCOMPARE(list.at(1).toBool(), true);
        QVERIFY(list.at(2).toObject().isEmpty());
        QCOMPARE(parsed.value(QLatin1StringView("latin1")).toString(), QStringLiteral("plain"));
    }

    void validation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("code");
        QTest::newRow("minimal") << QByteArray(R"({"message":"hi"})") << Outcome::Valid << ""
                                 << "";
        QTest::newRow("full") << QByteArray(R"({"message":"hi","type":"alert","data":{"a":1}})") << Outcome::Valid << ""
                              << "";
        QTest::newRow("null data") << QByteArray(R"({"message":"hi","data":null})") << Outcome::Valid << ""
                                   << "";
        QTest::newRow("not json") << QByteArray("{nope") << Outcome::MalformedJson << "body"
                                  << "json_invalid";
        QTest::newRow("empty body") << QByteArray("") << Outcome::MalformedJson << "body"
                                    << "json_invalid";
        QTest::newRow("array") << QByteArray("[1]") << Outcome::MalformedJson << "body"
                               << "object_type";
        QTest::newRow("missing message") << QByteArray(R"({"type":"x"})") << Outcome::Invalid << "message"
                                         << "missing";
        QTest::newRow("message number") << QByteArray(R"({"message":5})") << Outcome::Invalid << "message"
                                        << "string_type";
        QTest::newRow("message null") << QByteArray(R"({"message":null})") << Outcome::Invalid << "message"
                                      << "string_type";
        QTest::newRow("blank message") << QByteArray(R"({"message":"  "})") << Outcome::Invalid << "message"
                                       << "string_too_short";
        QTest::newRow("type number") << QByteArray(R"({"message":"m","type":1})") << Outcome::Invalid << "type"
                                     << "string_type";
        QTest::newRow("type empty") << QByteArray(R"({"message":"m","type":""})") << Outcome::Invalid << "type"
                                    << "string_pattern_mismatch";
        QTest::newRow("type spaces") << QByteArray(R"({"message":"m","type":"a b"})") << Outcome::Invalid << "type"
                                     << "string_pattern_mismatch";
        QTest::newRow("type reserved") << QByteArray(R"({"message":"m","type":"shutdown"})") << Outcome::Invalid
                                       << "type"
                                       << "reserved_type";
        QTest::newRow("data array") << QByteArray(R"({"message":"m","data":[1]})") << Outcome::Invalid << "data"
                                    << "dict_type";
        QTest::newRow("data string") << QByteArray(R"({"message":"m","data":"x"})") << Outcome::Invalid << "data"
                                     << "dict_type";
        QTest::newRow("unknown field") << QByteArray(R"({"message":"m","priority":1})") << Outcome::Invalid
                                       << "priority"
                                       << "extra_forbidden";
    }
    void validation()
    {
        QFETCH(QByteArray, body);
        QFETCH(Outcome, outcome);
        QFETCH(QString, field);
        QFETCH(QString, code);
        NotificationRequest request;
        const auto result = NotificationRequest::validate(body, &request);
        QCOMPARE(result.outcome, outcome);
        if (outcome == Outcome::Valid) {
            QVERIFY(result.errors.isEmpty());
            return;
        }
        QCOMPARE(result.errors.size(), 1);
        QCOMPARE(result.errors.first().field, field);
        QCOMPARE(result.errors.first().code, code);
        QVERIFY(!result.errors.first().problem.isEmpty());
    }

    void everyProblemIsReportedAtOnce()
    {
        NotificationRequest request;
        const auto result = NotificationRequest::validate(R"({"type":3,"data":1,"x":1})", &request);
        QStringList fields;
        for (const FieldError &error : result.errors)
            fields << error.field;
        fields.sort();
        QCOMPARE(fields, (QStringList{"data", "message", "type", "x"}));
    }

    void defaultsAndEncoding()
    {
        NotificationRequest request;
        QCOMPARE(NotificationRequest::validate(R"({"message":"Grüße"})", &request).outcome, Outcome::Valid);
        QCOMPARE(request.type, QStringLiteral("notification"));
        const QJsonObject wire = QJsonDocument::fromJson(request.encode("id-1", "2026-01-01T00:00:00.000Z")).object();
        QCOMPARE(wire.value("type").toString(), QStringLiteral("notification"));
        QCOMPARE(wire.value("message").toString(), QStringLiteral("Grüße"));
        QCOMPARE(wire.value("id").toString(), QStringLiteral("id-1"));
        QCOMPARE(wire.value("timestamp").toString(), QStringLiteral("2026-01-01T00:00:00.000Z"));
        QVERIFY(wire.value("data").isObject());
    }

    void clientMessages_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ClientMessage::Kind>("kind");
        QTest::addColumn<QString>("errorCode");
        QTest::newRow("ping") << R"({"type":"ping"})" << ClientMessage::Kind::Ping << "";
        QTest::newRow("status") << R"({"type":"status_request","extra":1})" << ClientMessage::Kind::StatusRequest << "";
        QTest::newRow("garbage") << "hello" << ClientMessage::Kind::Invalid << "invalid_json";
        QTest::newRow("array") << "[]" << ClientMessage::Kind::Invalid << "invalid_message";
        QTest::newRow("no type") << R"({"kind":"ping"})" << ClientMessage::Kind::Invalid << "invalid_message";
        QTest::newRow("type number") << R"({"type":1})" << ClientMessage::Kind::Invalid << "invalid_message";
        QTest::newRow("unknown") << R"({"type":"publish"})" << ClientMessage::Kind::Invalid << "unknown_type";
        QTest::newRow("subscribe") << R"({"type":"subscribe","channel":"orders.42"})" << ClientMessage::Kind::Subscribe
                                   << "";
        QTest::newRow("unsubscribe") << R"({"type":"unsubscribe","channel":"a:b-c_d@e"})"
                                     << ClientMessage::Kind::Unsubscribe << "";
        QTest::newRow("subscribe, no channel")
            << R"({"type":"subscribe"})" << ClientMessage::Kind::Invalid << "invalid_channel";
        QTest::newRow("subscribe, bad channel")
            << R"({"type":"subscribe","channel":"a b"})" << ClientMessage::Kind::Invalid << "invalid_channel";
        QTest::newRow("subscribe, channel not a string")
            << R"({"type":"subscribe","channel":["a"]})" << ClientMessage::Kind::Invalid << "invalid_channel";
    }
    void clientMessages()
    {
        QFETCH(QString, text);
        QFETCH(ClientMessage::Kind, kind);
        QFETCH(QString, errorCode);
        const ClientMessage message = ClientMessage::parse(text);
        QCOMPARE(message.kind, kind);
        QCOMPARE(message.errorCode, errorCode);
        QCOMPARE(message.errorMessage.isEmpty(), errorCode.isEmpty());
    }
};

QTEST_GUILESS_MAIN(NotificationRequestTest)
#include "tst_notification_request.moc"
