#include "JsonWriter.h"

#include <QString>
#include <algorithm>

namespace herald {

JsonWriter &JsonWriter::open(char bracket)
{
    beforeValue();
    m_out.push_back(bracket);
    m_empty.append(true);
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    m_out.push_back(bracket);
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
        m_out.push_back(',');
    m_empty.last() = false;
}

JsonWriter::JsonWriter()
{
    m_out.reserve(256); // a welcome fits
}

QByteArray JsonWriter::bytes() const
{
    return QByteArray(m_out.data(), qsizetype(m_out.size()));
}

JsonWriter &JsonWriter::key(QLatin1StringView name)
{
    beforeValue();
    appendLatin1(name);
    m_out.push_back(':');
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::key(QStringView name)
{
    beforeValue();
    appendString(name);
    m_out.push_back(':');
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::value(QStringView text)
{
    beforeValue();
    appendString(text);
    return *this;
}

JsonWriter &JsonWriter::value(QLatin1StringView text)
{
    beforeValue();
    appendLatin1(text);
    return *this;
}

JsonWriter &JsonWriter::value(qint64 number)
{
    beforeValue();
    m_out.append(std::to_string(number));
    return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
    beforeValue();
    m_out.append(flag ? "true" : "false");
    return *this;
}

void JsonWriter::appendString(QStringView text)
{
    // Most of what Herald writes is ASCII (ids, channel names, timestamps): narrowed here without an allocation.
    QVarLengthArray<char, 128> ascii(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t unit = text[i].unicode();
        if (unit >= 0x80) {
            const QByteArray utf8 = text.toUtf8();
            appendUtf8(utf8.constData(), utf8.size());
            return;
        }
        ascii[i] = char(unit);
    }
    appendUtf8(ascii.constData(), ascii.size());
}

void JsonWriter::appendLatin1(QLatin1StringView text)
{
    if (std::any_of(text.begin(), text.end(), [](char ch) { return quint8(ch) >= 0x80; })) {
        appendString(QString(text));
        return;
    }
    appendUtf8(text.data(), text.size());
}

void JsonWriter::appendUtf8(const char *data, qsizetype size)
{
    static constexpr char Hex[] = "0123456789abcdef";
    m_out.push_back('"');
    qsizetype plainFrom = 0; // copied in runs: most strings need no escape at all
    for (qsizetype i = 0; i < size; ++i) {
        const auto byte = quint8(data[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\')
            continue; // UTF-8 sequences pass through whole
        m_out.append(data + plainFrom, std::size_t(i - plainFrom));
        plainFrom = i + 1;
        switch (byte) {
        case '"':
            m_out.append("\\\"");
            break;
        case '\\':
            m_out.append("\\\\");
            break;
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
            m_out.append("\\u00");
            m_out.push_back(Hex[byte >> 4]);
            m_out.push_back(Hex[byte & 0xF]);
        }
    }
    m_out.append(data + plainFrom, std::size_t(size - plainFrom));
    m_out.push_back('"');
}

} // namespace herald
