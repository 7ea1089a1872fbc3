#pragma once

#include <QByteArray>
#include <QLatin1StringView>
#include <QStringView>
#include <QVarLengthArray>

#include <string>

namespace herald {

// Writes compact JSON straight into UTF-8 bytes, for the messages every client gets (the welcome): building a
// QJsonObject and serialising it cost about 60,000 instructions a client, this a few thousand. Keys come out
// in the order they are written; strings are escaped as RFC 8259 asks. For anything read back or merged,
// QJsonObject stays the tool.
class JsonWriter
{
public:
    JsonWriter();

    JsonWriter &beginObject() { return open('{'); }
    JsonWriter &endObject() { return close('}'); }
    JsonWriter &beginArray() { return open('['); }
    JsonWriter &endArray() { return close(']'); }
    // The next value's key, inside an object.
    JsonWriter &key(QLatin1StringView name);
    JsonWriter &key(QStringView name);
    JsonWriter &value(QStringView text);
    JsonWriter &value(QLatin1StringView text);
    JsonWriter &value(qint64 number);
    JsonWriter &value(bool flag);

    QByteArray bytes() const;

private:
    JsonWriter &open(char bracket);
    JsonWriter &close(char bracket);
    void beforeValue();
    void appendString(QStringView text);
    void appendLatin1(QLatin1StringView text);
    void appendUtf8(const char *data, qsizetype size);

    std::string m_out;                // appends inline, unlike QByteArray::append (which goes through insert())
    QVarLengthArray<bool, 8> m_empty; // per open object or array: nothing in it yet
    bool m_afterKey = false;
};

} // namespace herald
