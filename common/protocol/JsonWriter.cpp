#include "JsonWriter.h"

namespace herald {

JsonWriter &JsonWriter::open(char bracket)
{
    beforeValue();
    m_out.append(bracket);
    m_empty.append(true);
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    m_out.append(bracket);
    if (!m_empty.isEmpty())
        m_empty.removeLast();
    return *this;
}

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_empty.isEmpty())
        return;
    if (!m_empty.last())
        m_out.append(',');
    m_empty.last() = false;
}

JsonWriter &JsonWriter::key(QLatin1StringView name)
{
    beforeValue();
    appendString(QByteArray(name.data(), name.size()));
    m_out.append(':');
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::key(QStringView name)
{
    beforeValue();
    appendString(name.toUtf8());
    m_out.append(':');
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::value(QStringView text)
{
    beforeValue();
    appendString(text.toUtf8());
    return *this;
}

JsonWriter &JsonWriter::value(QLatin1StringView text)
{
    beforeValue();
    appendString(QStringView(QString(text)).toUtf8());
    return *this;
}

JsonWriter &JsonWriter::value(qint64 number)
{
    beforeValue();
    m_out.append(QByteArray::number(number));
    return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
    beforeValue();
    m_out.append(flag ? "true" : "false");
    return *this;
}

void JsonWriter::appendString(const QByteArray &utf8)
{
    static constexpr char Hex[] = "0123456789abcdef";
    m_out.append('"');
    for (const char ch : utf8) {
        const auto byte = quint8(ch);
        if (byte == '"' || byte == '\\') {
            m_out.append('\\').append(ch);
        } else if (byte < 0x20) {
            switch (byte) {
            case '\n':
                m_out.append("\\n");
                break;
            case '\r':
                m_out.append("\\r");
                break;
            case '\t':
                m_out.append("\\t");
                break;
            case '\b':
                m_out.append("\\b");
                break;
            case '\f':
                m_out.append("\\f");
                break;
            default:
                m_out.append("\\u00").append(Hex[byte >> 4]).append(Hex[byte & 0xF]);
            }
        } else {
            m_out.append(ch); // UTF-8 passes through whole
        }
    }
    m_out.append('"');
}

} // namespace herald
