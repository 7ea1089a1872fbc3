#include "FrameParser.h"

#include "PerMessageDeflate.h"

#include <QStringDecoder>
#include <QtEndian>
#include <algorithm>

namespace herald {

namespace {
enum Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };
constexpr quint8 FinalBit = 0x80;
constexpr quint8 ReservedBits = 0x70;
constexpr quint8 CompressedBit = 0x40; // RSV1, "Per-Message Compressed" (RFC 7692 6)
constexpr quint8 OpcodeBits = 0x0F;
constexpr quint8 MaskBit = 0x80;
constexpr quint8 LengthBits = 0x7F;
constexpr quint8 Length16 = 126;
constexpr quint8 Length64 = 127;
constexpr quint64 MaxControlPayload = 125;

bool isControl(quint8 opcode)
{
    return (opcode & 0x8) != 0;
}

bool isKnown(quint8 opcode)
{
    switch (opcode) {
    case Continuation:
    case Text:
    case Binary:
    case Close:
    case Ping:
    case Pong:
        return true;
    default:
        return false;
    }
}

// Strict: overlong forms, surrogates and code points past U+10FFFF are errors, as RFC 3629 says.
bool decodeUtf8(const QByteArray &bytes, QString *text)
{
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    *text = decoder.decode(bytes);
    return !decoder.hasError();
}
} // namespace

bool closecode::isValidOnWire(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

void FrameParser::feed(const char *data, qsizetype size, Sink &sink)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(data);
    qsizetype at = 0;
    while (at < size && !m_failed) {
        if (m_stage == Stage::Header) {
            const int take = int(std::min<qsizetype>(m_headerNeeded - m_headerSize, size - at));
            std::copy_n(bytes + at, take, m_header.begin() + m_headerSize);
            m_headerSize += take;
            at += take;
            if (m_headerSize == m_headerNeeded && headerComplete(sink) && m_payloadRemaining == 0)
                payloadComplete(sink);
            continue;
        }
        const auto take = qsizetype(std::min<quint64>(m_payloadRemaining, quint64(size - at)));
        QByteArray &target = isControl(m_opcode) ? m_control : m_message;
        const qsizetype start = target.size();
        target.resize(start + take);
        char *out = target.data() + start;
        for (qsizetype i = 0; i < take; ++i)
            out[i] = char(bytes[at + i] ^ m_mask[(m_payloadOffset + quint64(i)) & 3]);
        at += take;
        m_payloadOffset += quint64(take);
        m_payloadRemaining -= quint64(take);
        if (m_payloadRemaining == 0)
            payloadComplete(sink);
    }
}

// Returns true once the whole header is in and valid; false while more header bytes are needed or on failure.
bool FrameParser::headerComplete(Sink &sink)
{
    const quint8 first = m_header[0];
    const quint8 second = m_header[1];
    const quint8 length7 = second & LengthBits;
    if (m_headerSize == 2) {
        m_opcode = first & OpcodeBits;
        m_final = (first & FinalBit) != 0;
        const bool compressed = (first & CompressedBit) != 0;
        if ((first & ReservedBits & ~CompressedBit) || (compressed && !m_inflates))
            return fail(sink, closecode::ProtocolError, QStringLiteral("reserved bits set; no extension was agreed"));
        if (compressed && m_opcode != Text && m_opcode != Binary)
            return fail(sink, closecode::ProtocolError,
                        QStringLiteral("RSV1 set on a frame other than a message's first (RFC 7692 6)"));
        if (!isKnown(m_opcode))
            return fail(sink, closecode::ProtocolError, QStringLiteral("unknown opcode %1").arg(m_opcode));
        if (!(second & MaskBit))
            return fail(sink, closecode::ProtocolError, QStringLiteral("client frames must be masked"));
        if (isControl(m_opcode)) {
            if (!m_final)
                return fail(sink, closecode::ProtocolError, QStringLiteral("fragmented control frame"));
            if (length7 > MaxControlPayload)
                return fail(sink, closecode::ProtocolError, QStringLiteral("control frame longer than 125 bytes"));
        } else if (m_opcode == Continuation && m_messageOpcode == 0) {
            return fail(sink, closecode::ProtocolError, QStringLiteral("continuation frame without a message"));
        } else if (m_opcode != Continuation && m_messageOpcode != 0) {
            return fail(sink, closecode::ProtocolError, QStringLiteral("new message before the fragmented one ended"));
        }
        const int lengthBytes = length7 == Length16 ? 2 : length7 == Length64 ? 8 : 0;
        m_headerNeeded = 2 + lengthBytes + 4;
        return false;
    }

    quint64 length = length7;
    if (length7 == Length16)
        length = qFromBigEndian<quint16>(m_header.data() + 2);
    else if (length7 == Length64)
        length = qFromBigEndian<quint64>(m_header.data() + 2);
    if (length >> 63)
        return fail(sink, closecode::ProtocolError, QStringLiteral("frame length has its top bit set"));
    if (!isControl(m_opcode) && quint64(m_message.size()) + length > quint64(m_maxMessageBytes))
        return fail(sink, closecode::MessageTooBig,
                    QStringLiteral("message larger than %1 bytes").arg(m_maxMessageBytes));
    std::copy_n(m_header.begin() + m_headerSize - 4, 4, m_mask.begin());
    if (m_opcode == Text || m_opcode == Binary) {
        m_messageOpcode = m_opcode;
        m_messageCompressed = (first & CompressedBit) != 0;
    }
    m_payloadRemaining = length;
    m_payloadOffset = 0;
    m_stage = Stage::Payload;
    m_headerSize = 0;
    m_headerNeeded = 2;
    return true;
}

void FrameParser::payloadComplete(Sink &sink)
{
    m_stage = Stage::Header;
    if (isControl(m_opcode)) {
        const QByteArray payload = std::exchange(m_control, {});
        if (m_opcode == Ping) {
            sink.ping(payload);
        } else if (m_opcode == Pong) {
            sink.pong();
        } else if (payload.isEmpty()) {
            sink.closeFrame(closecode::NoStatus, {});
        } else if (payload.size() == 1) {
            fail(sink, closecode::ProtocolError, QStringLiteral("close frame with a one-byte payload"));
        } else {
            const quint16 code = qFromBigEndian<quint16>(payload.constData());
            QString reason;
            if (!closecode::isValidOnWire(code))
                fail(sink, closecode::ProtocolError, QStringLiteral("invalid close code %1").arg(code));
            else if (!decodeUtf8(payload.mid(2), &reason))
                fail(sink, closecode::InvalidPayload, QStringLiteral("close reason is not valid UTF-8"));
            else
                sink.closeFrame(code, reason);
        }
        return;
    }
    if (!m_final)
        return;
    const quint8 opcode = std::exchange(m_messageOpcode, 0);
    QByteArray message = std::exchange(m_message, {});
    if (std::exchange(m_messageCompressed, false)) {
        QByteArray inflated;
        switch (permessagedeflate::decompress(message, m_maxMessageBytes, &inflated)) {
        case permessagedeflate::Inflated::Whole:
            message = std::move(inflated);
            break;
        case permessagedeflate::Inflated::TooLarge:
            fail(sink, closecode::MessageTooBig,
                 QStringLiteral("message inflates to more than %1 bytes").arg(m_maxMessageBytes));
            return;
        case permessagedeflate::Inflated::Corrupt:
            fail(sink, closecode::InvalidPayload, QStringLiteral("compressed message is not valid deflate data"));
            return;
        }
    }
    if (opcode == Binary) {
        sink.binaryMessage(message);
        return;
    }
    QString text;
    if (!decodeUtf8(message, &text))
        fail(sink, closecode::InvalidPayload, QStringLiteral("text message is not valid UTF-8"));
    else
        sink.textMessage(text);
}

bool FrameParser::fail(Sink &sink, quint16 code, const QString &reason)
{
    m_failed = true;
    m_message.clear();
    m_control.clear();
    sink.violation(code, reason);
    return false;
}

} // namespace herald
