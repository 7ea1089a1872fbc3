#pragma once

#include <QByteArray>
#include <QString>
#include <array>

namespace herald {

// RFC 6455 close codes the parser and the connection send.
namespace closecode {
inline constexpr quint16 Normal = 1000;
inline constexpr quint16 ProtocolError = 1002;
inline constexpr quint16 InvalidPayload = 1007; // not UTF-8 where the RFC requires it
inline constexpr quint16 PolicyViolation = 1008;
inline constexpr quint16 MessageTooBig = 1009;
inline constexpr quint16 NoStatus = 1005; // a close frame without a code; never sent
// Whether a peer may put this code in a close frame (RFC 6455 7.4; 1012-1014 registered since).
bool isValidOnWire(quint16 code);
} // namespace closecode

// Reads the frames a WebSocket client sends, as a server must (RFC 6455 section 5): every frame masked, no
// reserved bits but RSV1 on the first frame of a compressed message when permessage-deflate was agreed (RFC 7692
// 6.1), known opcodes only, control frames short and whole, fragments in order, text valid UTF-8. A compressed
// message is inflated within the same size limit as any other. Holds no socket: bytes in, events out, so that it can be
// tested and fuzzed on its own. After the first violation it reports it once and ignores everything that follows.
class FrameParser
{
public:
    class Sink
    {
    public:
        virtual ~Sink() = default;
        virtual void textMessage(const QString &text) = 0;
        virtual void binaryMessage(const QByteArray &data) = 0;
        virtual void ping(const QByteArray &payload) = 0;
        virtual void pong() = 0;
        // The peer's close frame, already checked: code is NoStatus when it carried none.
        virtual void closeFrame(quint16 code, const QString &reason) = 0;
        // The stream broke the protocol: close with this code and reason, then drop the connection.
        virtual void violation(quint16 code, const QString &reason) = 0;
    };

    // inflates: whether the handshake agreed on permessage-deflate, so that the client may compress messages.
    explicit FrameParser(qint64 maxMessageBytes, bool inflates = false)
        : m_maxMessageBytes(maxMessageBytes)
        , m_inflates(inflates)
    {}

    // Parses as much as the bytes allow; a frame split across calls is carried over.
    void feed(const char *data, qsizetype size, Sink &sink);
    bool failed() const { return m_failed; }

private:
    enum class Stage { Header, Payload };
    bool headerComplete(Sink &sink);
    void payloadComplete(Sink &sink);
    bool fail(Sink &sink, quint16 code, const QString &reason); // always false

    qint64 m_maxMessageBytes;
    bool m_inflates;
    Stage m_stage = Stage::Header;
    bool m_failed = false;

    std::array<unsigned char, 14> m_header{}; // the longest header: 2 + 8 length + 4 mask
    int m_headerSize = 0;
    int m_headerNeeded = 2;

    // The frame being read.
    quint8 m_opcode = 0;
    bool m_final = false;
    std::array<unsigned char, 4> m_mask{};
    quint64 m_payloadRemaining = 0;
    quint64 m_payloadOffset = 0; // position in the frame's payload, for the mask
    QByteArray m_control;        // a control frame's payload (at most 125 bytes)

    // The message being assembled from one or more data frames.
    quint8 m_messageOpcode = 0; // 0: none in progress
    bool m_messageCompressed = false;
    QByteArray m_message;
};

} // namespace herald
